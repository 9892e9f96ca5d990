using System.Globalization;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: GenMetrics.Sample WEIGHTS.pth REAL_FOLDER");
    return 2;
}
var result = GenMetrics.Sample.Sample.Run(args[0], args[1]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"FID {result.Fid!.Value:F4}  IS {result.InceptionScore!.Mean:F4} ± {result.InceptionScore.Std:F4}  KID {result.Kid!.Mean:F6}"));
return 0;
