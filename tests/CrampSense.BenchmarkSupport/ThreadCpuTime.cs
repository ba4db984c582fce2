using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CrampSense.BenchmarkSupport;

/// <summary>
/// This thread's CPU time (Linux CLOCK_THREAD_CPUTIME_ID) and the per-operation minimum and median of repeated runs.
/// On this shared 2-core machine the load average reaches 20–35 and wall-clock times vary several-fold between runs,
/// while a thread's own CPU time counts only the time it ran (cache and frequency effects of the neighbours remain).
/// </summary>
/// <remarks>
/// Written here because the BCL has no per-thread CPU clock of that resolution (ProcessThread.TotalProcessorTime reads
/// /proc in clock ticks of 10 ms) and BenchmarkDotNet measures wall-clock time. Elsewhere than Linux it falls back to
/// the wall clock (Stopwatch).
/// </remarks>
public static class ThreadCpuTime
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID (Linux, <linux/time.h>)

    /// <summary>This thread's CPU time in nanoseconds (wall-clock nanoseconds elsewhere than Linux).</summary>
    public static long Nanoseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Stopwatch.GetTimestamp() * (1_000_000_000 / Stopwatch.Frequency);
        }

        _ = ClockGetTime(ThreadCpuClock, out var now);
        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    /// <summary>
    /// Runs <paramref name="run"/> (<paramref name="operations"/> operations each time) twice to warm up, then
    /// <paramref name="repeats"/> times, and returns the minimum and median CPU time per operation, ns.
    /// </summary>
    public static (double Min, double Median) PerOperation(Action run, int operations, int repeats)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfLessThan(operations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var samples = new double[repeats];
        for (int i = -2; i < repeats; i++)
        {
            long start = Nanoseconds();
            run();
            long elapsed = Nanoseconds() - start;
            if (i >= 0)
            {
                samples[i] = (double)elapsed / operations;
            }
        }

        Array.Sort(samples);
        return (samples[0], samples[repeats / 2]);
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
