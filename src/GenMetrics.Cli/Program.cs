using GenMetrics.Cli;

using (InterruptHandler.Install())
{
    return CliApplication.Run(args, Console.Out, Console.Error);
}
