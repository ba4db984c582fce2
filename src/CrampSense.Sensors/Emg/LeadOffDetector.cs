using CrampSense.Sensors.Faults;

namespace CrampSense.Sensors.Emg;

/// <summary>
/// Decides, per EMG channel and per window of samples, whether the input is railed (every sample within a few
/// codes of 0 or full scale: electrode off with the amplifier saturated) or flat (peak-to-peak of a few codes:
/// input floating at a steady level). Surface EMG at rest still shows amplifier and electrode noise of several
/// codes on a 10-bit ADC, so a window with almost no variation means no skin contact. Allocation-free.
/// </summary>
public sealed class LeadOffDetector
{
    private readonly int _windowSamples;
    private readonly int _fullScale;
    private readonly int _railMargin;
    private readonly int _flatPeakToPeak;
    private int _count;
    private int _min = int.MaxValue;
    private int _max = int.MinValue;
    private int _railed;

    /// <param name="windowSamples">Samples per decision (e.g. 0.25 s of samples).</param>
    /// <param name="fullScaleCount">Highest ADC code.</param>
    /// <param name="railMarginCounts">A sample within this many codes of 0 or full scale counts as railed.</param>
    /// <param name="flatPeakToPeakCounts">A window whose peak-to-peak is at most this is flat.</param>
    public LeadOffDetector(int windowSamples, int fullScaleCount, int railMarginCounts = 2, int flatPeakToPeakCounts = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSamples, 2);
        _windowSamples = windowSamples;
        _fullScale = fullScaleCount;
        _railMargin = railMarginCounts;
        _flatPeakToPeak = flatPeakToPeakCounts;
    }

    /// <summary>Verdict of the last complete window: null when the channel looked connected.</summary>
    public SensorFaultKind? Verdict { get; private set; }

    /// <summary>Peak-to-peak of the last complete window, in codes.</summary>
    public int LastPeakToPeak { get; private set; }

    /// <summary>Adds one sample; returns true when a window has just completed (and <see cref="Verdict"/> is fresh).</summary>
    public bool Add(int count)
    {
        if (count < _min)
        {
            _min = count;
        }

        if (count > _max)
        {
            _max = count;
        }

        if (count <= _railMargin || count >= _fullScale - _railMargin)
        {
            _railed++;
        }

        if (++_count < _windowSamples)
        {
            return false;
        }

        LastPeakToPeak = _max - _min;
        Verdict = _railed == _count ? SensorFaultKind.Railed
            : LastPeakToPeak <= _flatPeakToPeak ? SensorFaultKind.Flat
            : null;
        _count = 0;
        _railed = 0;
        _min = int.MaxValue;
        _max = int.MinValue;
        return true;
    }
}
