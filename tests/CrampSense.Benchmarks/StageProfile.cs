using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using CrampSense.BenchmarkSupport;

namespace CrampSense.Benchmarks;

/// <summary>
/// A CPU-time harness over the [Benchmark] methods of the named classes: each method runs after its class's
/// [GlobalSetup], twice to warm up, then <c>repeats</c> times, timed by this thread's CPU clock
/// (CLOCK_THREAD_CPUTIME_ID, <see cref="ThreadCpuTime"/>), and the minimum and median per operation (OperationsPerInvoke) are printed.
/// </summary>
/// <remarks>
/// Written for the stage breakdown of docs/signal-pipeline.md §6: on this shared 2-core machine the load average
/// reaches 20–35, and BenchmarkDotNet's wall-clock times then vary several-fold between runs, while a thread's own
/// CPU time counts only the time it ran (cache and frequency effects of the neighbours remain). Speed targets stay in
/// the BenchmarkDotNet classes. Run:
/// dotnet run -c Release --project tests/CrampSense.Benchmarks -- stage-profile [repeats] [Class ...]
/// </remarks>
internal static class StageProfile
{
    public static void Run(string[] args)
    {
        int repeats = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 7;
        var names = args.Skip(args.Length > 0 && int.TryParse(args[0], out _) ? 1 : 0).ToArray();
        if (names.Length == 0)
        {
            names = [nameof(DetectorStageBenchmarks), nameof(DetectorBenchmarks)];
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# thread CPU time per operation, ns (min and median of {repeats}); {Environment.ProcessorCount} cores"));
        foreach (string name in names)
        {
            var type = typeof(StageProfile).Assembly.GetTypes().Single(t => t.Name == name);
            object instance = Activator.CreateInstance(type)!;
            Invoke<GlobalSetupAttribute>(type, instance);
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            {
                int operations = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
                var (min, median) = ThreadCpuTime.PerOperation(() => method.Invoke(instance, null), operations, repeats);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}.{method.Name}\t{min:0.0}\t{median:0.0}"));
            }

            Invoke<GlobalCleanupAttribute>(type, instance);
        }
    }

    private static void Invoke<T>(Type type, object instance)
        where T : Attribute
    {
        foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<T>() is not null))
        {
            method.Invoke(instance, null);
        }
    }
}
