using System.Runtime.InteropServices;

namespace CrampSense.Sensors.Sampling;

/// <summary>
/// Sub-millisecond sleep for the sampling thread. .NET's Thread.Sleep and WaitHandle waits take whole
/// milliseconds, too coarse for a 1–2 kHz slot grid, so on Linux this calls clock_nanosleep(2) on
/// CLOCK_MONOTONIC (the clock Stopwatch reads) directly. The kernel wakes the thread after the interval plus
/// its timer slack (50 µs by default for normal threads) and scheduling latency.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1; // <linux/time.h>

    /// <summary>True where <see cref="Sleep"/> has sub-millisecond resolution (Linux).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>
    /// Sleeps about <paramref name="nanoseconds"/> (a relative interval; a signal may end it early, which the
    /// caller's clock check absorbs). Only call when <see cref="IsAvailable"/>.
    /// </summary>
    public static void Sleep(long nanoseconds)
    {
        if (nanoseconds <= 0)
        {
            return;
        }

        var interval = new Timespec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
        _ = NativeMethods.clock_nanosleep(ClockMonotonic, 0, ref interval, IntPtr.Zero);
    }

    /// <summary>struct timespec: time_t and long, both the native word size on the Pi's glibc ABIs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_nanosleep(int clockId, int flags, ref Timespec request, IntPtr remain);
    }
}
