// What 1 000 wake-ups a second cost here with nothing else running: one thread paced like the service's sampling
// thread (AcquisitionEngine.RunSleeping: SamplePacer slots, PreciseSleep = clock_nanosleep of the time to the next
// slot), or with Thread.Sleep(1) per slot, for a window; prints the thread's own CPU (getrusage RUSAGE_THREAD, µs) and
// its voluntary context switches (its wake-ups). Usage: wakeup-floor precise|thread-sleep [seconds] [rate-hz]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CrampSense.Sensors.Sampling;

var mode = args.Length > 0 ? args[0] : "precise";
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var rate = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
if (mode is not ("precise" or "thread-sleep"))
{
    Console.Error.WriteLine($"unknown mode '{mode}': precise or thread-sleep");
    return 2;
}

string? result = null;
var thread = new Thread(() => result = Pace(mode, seconds, rate)) { Name = "crampsense-emg", Priority = ThreadPriority.Highest };
thread.Start();
thread.Join();
Console.WriteLine(result);
return 0;

static string Pace(string mode, double seconds, double rate)
{
    var frequency = Stopwatch.Frequency;
    var start = Stopwatch.GetTimestamp();
    var pacer = new SamplePacer(rate, frequency, start, 4); // the service's default lateness tolerance
    var end = start + (long)(seconds * frequency);
    long taken = 0, dropped = 0;
    var before = Usage.Thread();
    while (true)
    {
        var now = Stopwatch.GetTimestamp();
        if (now >= end)
        {
            break;
        }

        var wait = pacer.TicksUntilDue(now);
        if (wait == 0)
        {
            pacer.TryTakeSlot(now, out _, out var missed, out _);
            taken++;
            dropped += missed;
            continue;
        }

        if (mode == "precise")
        {
            PreciseSleep.Sleep((long)(wait * 1e9 / frequency));
        }
        else
        {
            Thread.Sleep(1);
        }
    }

    var after = Usage.Thread();
    var elapsed = (Stopwatch.GetTimestamp() - start) / (double)frequency;
    var user = (after.UserMicroseconds - before.UserMicroseconds) / 1e6;
    var system = (after.SystemMicroseconds - before.SystemMicroseconds) / 1e6;
    var wakes = after.VoluntarySwitches - before.VoluntarySwitches;
    return string.Create(CultureInfo.InvariantCulture,
        $".NET {mode} {rate:0} Hz: {elapsed:0.0} s, slots {taken / elapsed:0}/s (dropped {dropped}), wake-ups {wakes / elapsed:0}/s, " +
        $"thread CPU {(user + system) / elapsed * 100:0.00} % of one core ({user / elapsed * 100:0.00} user + {system / elapsed * 100:0.00} kernel), " +
        $"{(user + system) * 1e6 / Math.Max(1, wakes):0.0} µs per wake-up");
}

internal static class Usage
{
    private const int RusageThread = 1; // <sys/resource.h>, Linux

    public static (long UserMicroseconds, long SystemMicroseconds, long VoluntarySwitches) Thread()
    {
        if (getrusage(RusageThread, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return ((usage.UserSeconds * 1_000_000) + usage.UserMicroseconds, (usage.SystemSeconds * 1_000_000) + usage.SystemMicroseconds, usage.Nvcsw);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then 14 longs (ru_maxrss … ru_nivcsw).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long Ixrss;
        public long Idrss;
        public long Isrss;
        public long Minflt;
        public long Majflt;
        public long Nswap;
        public long Inblock;
        public long Oublock;
        public long Msgsnd;
        public long Msgrcv;
        public long Nsignals;
        public long Nvcsw;
        public long Nivcsw;
    }
}
