using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
