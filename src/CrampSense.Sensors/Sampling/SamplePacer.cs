namespace CrampSense.Sensors.Sampling;

/// <summary>
/// The pacing decision of the sampling thread, kept free of threads and clocks so that it can be tested with
/// any timestamps: slot n is due at start + n / rate on a monotonic clock. When the thread wakes a full period
/// or more after a slot was due, the slots it missed are dropped and counted — never read late under a
/// wrong timestamp, never interpolated. With a lateness tolerance of k periods, a slot up to k periods late
/// is still read (a short catch-up burst after a scheduling hiccup); its lateness is measured, so the timing
/// error is reported, and only slots later than that are dropped.
/// </summary>
public sealed class SamplePacer
{
    private readonly double _ticksPerSample;
    private readonly long _startTicks;
    private readonly double _toleranceTicks;

    /// <param name="rateHz">Sample rate.</param>
    /// <param name="timestampFrequency">Ticks per second of the clock (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="startTicks">Timestamp at which slot 0 is due.</param>
    /// <param name="latenessTolerancePeriods">How late, in periods, a slot may still be read (≥ 1; 1 = strict).</param>
    public SamplePacer(double rateHz, long timestampFrequency, long startTicks, double latenessTolerancePeriods = 1)
    {
        if (!double.IsFinite(latenessTolerancePeriods) || latenessTolerancePeriods < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(latenessTolerancePeriods), latenessTolerancePeriods, "The lateness tolerance is at least one period.");
        }

        if (!double.IsFinite(rateHz) || rateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, "The sample rate must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        RateHz = rateHz;
        _ticksPerSample = timestampFrequency / rateHz;
        _startTicks = startTicks;
        _toleranceTicks = latenessTolerancePeriods * _ticksPerSample;
        TimestampFrequency = timestampFrequency;
    }

    public double RateHz { get; }

    public long TimestampFrequency { get; }

    /// <summary>The next slot that has not been taken or dropped.</summary>
    public long NextIndex { get; private set; }

    /// <summary>Timestamp at which slot <paramref name="index"/> is due.</summary>
    public long DueTicks(long index) => _startTicks + (long)Math.Round(index * _ticksPerSample);

    /// <summary>Ticks to wait at <paramref name="nowTicks"/> until the next slot is due (0 when due now).</summary>
    public long TicksUntilDue(long nowTicks) => Math.Max(0, DueTicks(NextIndex) - nowTicks);

    /// <summary>
    /// Takes the slot due at <paramref name="nowTicks"/>, if any. <paramref name="dropped"/> is the number of slots
    /// skipped because their whole period had passed; <paramref name="latenessTicks"/> how late the taken slot is.
    /// </summary>
    public bool TryTakeSlot(long nowTicks, out long index, out long dropped, out long latenessTicks)
    {
        var due = DueTicks(NextIndex);
        if (nowTicks < due)
        {
            index = -1;
            dropped = 0;
            latenessTicks = 0;
            return false;
        }

        // The earliest slot still within the tolerance (strict: the latest slot whose due time has passed,
        // the one a read now really samples).
        var earliest = (long)Math.Ceiling((nowTicks - _startTicks - _toleranceTicks) / _ticksPerSample);
        while (earliest > NextIndex && nowTicks - DueTicks(earliest - 1) < _toleranceTicks)
        {
            earliest--; // rounding guard
        }

        while (nowTicks - DueTicks(earliest) >= _toleranceTicks)
        {
            earliest++;
        }

        index = Math.Max(earliest, NextIndex);
        dropped = index - NextIndex;
        latenessTicks = nowTicks - DueTicks(index);
        NextIndex = index + 1;
        return true;
    }
}
