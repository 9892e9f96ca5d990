using GenMetrics.Cli;

ProcessMemorySettings.Apply();

using (InterruptHandler.Install())
{
    return CliApplication.Run(args, Console.Out, Console.Error, InterruptHandler.Token);
}
