namespace CrampSense.Sensors.Sampling;

/// <summary>A snapshot of how well the sampling thread kept its clock.</summary>
/// <param name="NominalRateHz">Configured rate.</param>
/// <param name="MeasuredRateHz">Samples taken per second of clock time between the first and the last.</param>
/// <param name="Samples">Slots read successfully.</param>
/// <param name="DroppedSlots">Slots skipped because the thread woke a period or more too late (overruns).</param>
/// <param name="Overruns">Times the thread fell at least one slot behind.</param>
/// <param name="FaultedSlots">Slots lost because the ADC read failed or was backing off after a fault.</param>
/// <param name="HandOffDropped">Frames read but discarded because the consumer's ring was full.</param>
/// <param name="MeanLatenessMicroseconds">Mean delay from a slot's due time to its read.</param>
/// <param name="JitterMicroseconds">Standard deviation of that delay.</param>
/// <param name="MaxLatenessMicroseconds">Largest delay of a slot that was still read.</param>
public sealed record SamplingReport(
    double NominalRateHz,
    double MeasuredRateHz,
    long Samples,
    long DroppedSlots,
    long Overruns,
    long FaultedSlots,
    long HandOffDropped,
    double MeanLatenessMicroseconds,
    double JitterMicroseconds,
    double MaxLatenessMicroseconds);

/// <summary>
/// Counters and running lateness statistics (Welford) of the sampling thread. Updated by the sampling thread,
/// read from anywhere through <see cref="Snapshot"/>. Allocation-free on update.
/// </summary>
public sealed class SamplingStatistics(double nominalRateHz, long timestampFrequency)
{
    private readonly Lock _gate = new();
    private long _samples;
    private long _dropped;
    private long _overruns;
    private long _faulted;
    private long _handOffDropped;
    private double _mean;
    private double _m2;
    private double _max;
    private long _firstTicks = -1;
    private long _lastTicks;

    public void RecordSample(long nowTicks, long latenessTicks)
    {
        var micros = latenessTicks * 1e6 / timestampFrequency;
        lock (_gate)
        {
            if (_firstTicks < 0)
            {
                _firstTicks = nowTicks;
            }

            _lastTicks = nowTicks;
            _samples++;
            var delta = micros - _mean;
            _mean += delta / _samples;
            _m2 += delta * (micros - _mean);
            if (micros > _max)
            {
                _max = micros;
            }
        }
    }

    public void RecordDropped(long slots)
    {
        lock (_gate)
        {
            _dropped += slots;
            _overruns++;
        }
    }

    public void RecordFaulted()
    {
        lock (_gate)
        {
            _faulted++;
        }
    }

    public void RecordHandOffDropped()
    {
        lock (_gate)
        {
            _handOffDropped++;
        }
    }

    public SamplingReport Snapshot()
    {
        lock (_gate)
        {
            var seconds = (_lastTicks - _firstTicks) / (double)timestampFrequency;
            var measured = _samples > 1 && seconds > 0 ? (_samples - 1) / seconds : 0;
            var jitter = _samples > 1 ? Math.Sqrt(_m2 / (_samples - 1)) : 0;
            return new SamplingReport(nominalRateHz, measured, _samples, _dropped, _overruns, _faulted, _handOffDropped, _mean, jitter, _max);
        }
    }
}
