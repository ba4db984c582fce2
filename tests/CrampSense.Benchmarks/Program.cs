using BenchmarkDotNet.Running;
using CrampSense.Benchmarks;

// Run all: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*'
// Stage breakdown by CPU time: dotnet run -c Release --project tests/CrampSense.Benchmarks -- stage-profile [repeats] [Class ...]
if (args.Length > 0 && args[0] == "stage-profile")
{
    StageProfile.Run(args[1..]);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
