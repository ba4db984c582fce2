using System.Runtime.CompilerServices;
using CrampSense.Signals.Dsp;

namespace CrampSense.Signals.Features;

/// <summary>
/// Motion features from a slow, sparse accelerometer that rides on the EMG clock: the latest acceleration
/// magnitude is held and resampled every <see cref="DecimationFactor"/> EMG rows (≈ the IMU analysis rate),
/// then a 2nd-order Butterworth high-pass (gait-band lower edge) removes gravity for the motion energy and a
/// 2nd-order Butterworth band-pass gives the gait-band (default 0.5–3 Hz, walking to running cadence) power.
/// Both are mean squares over their own windows, in g².
/// </summary>
public sealed class MotionTracker
{
    private readonly BiquadCascade _highPass;
    private readonly BiquadCascade _gaitBand;
    private readonly double[] _motionSquares;
    private readonly double[] _gaitSquares;
    private int _motionPosition;
    private int _gaitPosition;
    private int _rowCounter;
    private double _heldMagnitude;
    private bool _seen;

    /// <summary>Creates the tracker.</summary>
    /// <param name="emgSampleRateHz">Rate of the rows (EMG clock), Hz.</param>
    /// <param name="analysisRateHz">Rate to resample the accelerometer to, Hz (rounded to a whole number of rows).</param>
    /// <param name="motionWindowSeconds">Window of the motion energy, s.</param>
    /// <param name="gaitLowHz">Gait band lower edge, Hz.</param>
    /// <param name="gaitHighHz">Gait band upper edge, Hz.</param>
    /// <param name="gaitWindowSeconds">Window of the gait-band power, s.</param>
    public MotionTracker(double emgSampleRateHz, double analysisRateHz, double motionWindowSeconds, double gaitLowHz, double gaitHighHz, double gaitWindowSeconds)
    {
        if (!double.IsFinite(emgSampleRateHz) || emgSampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(emgSampleRateHz), emgSampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!(analysisRateHz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(analysisRateHz), analysisRateHz, "The IMU analysis rate must be positive.");
        }

        DecimationFactor = Math.Max(1, (int)Math.Round(emgSampleRateHz / analysisRateHz));
        AnalysisRateHz = emgSampleRateHz / DecimationFactor;
        _highPass = new BiquadCascade(ButterworthDesign.HighPass(AnalysisRateHz, gaitLowHz, 2), AnalysisRateHz);
        _gaitBand = new BiquadCascade(ButterworthDesign.BandPass(AnalysisRateHz, gaitLowHz, gaitHighHz, 1), AnalysisRateHz);
        _motionSquares = new double[Math.Max(1, (int)Math.Round(motionWindowSeconds * AnalysisRateHz))];
        _gaitSquares = new double[Math.Max(1, (int)Math.Round(gaitWindowSeconds * AnalysisRateHz))];
    }

    /// <summary>EMG rows per accelerometer analysis sample.</summary>
    public int DecimationFactor { get; }

    /// <summary>Actual analysis rate, Hz.</summary>
    public double AnalysisRateHz { get; }

    /// <summary>The gait band-pass (for its analytic response).</summary>
    public BiquadCascade GaitBand => _gaitBand;

    /// <summary>The gravity-removing high-pass (for its analytic response).</summary>
    public BiquadCascade HighPass => _highPass;

    /// <summary>True once an accelerometer sample has been seen.</summary>
    public bool HasSignal => _seen;

    /// <summary>Feeds one EMG row; pass <paramref name="hasAcceleration"/> false on rows without an accelerometer sample.</summary>
    [MethodImpl(HotPath.Compiled)]
    public void OnRow(bool hasAcceleration, float xG, float yG, float zG)
    {
        if (hasAcceleration && float.IsFinite(xG) && float.IsFinite(yG) && float.IsFinite(zG))
        {
            double magnitude = Math.Sqrt(((double)xG * xG) + ((double)yG * yG) + ((double)zG * zG));
            if (!_seen)
            {
                // Start the filters as if this posture had been held forever: no gravity step at start-up.
                _highPass.SettleTo(magnitude);
                _gaitBand.SettleTo(magnitude);
                _seen = true;
                _rowCounter = 0;
            }

            _heldMagnitude = magnitude;
        }

        if (!_seen)
        {
            return;
        }

        if (++_rowCounter < DecimationFactor)
        {
            return;
        }

        _rowCounter = 0;
        double motion = _highPass.ProcessDouble(_heldMagnitude);
        double gait = _gaitBand.ProcessDouble(_heldMagnitude);
        _motionSquares[_motionPosition] = motion * motion;
        _gaitSquares[_gaitPosition] = gait * gait;
        _motionPosition = (_motionPosition + 1) % _motionSquares.Length;
        _gaitPosition = (_gaitPosition + 1) % _gaitSquares.Length;
    }

    /// <summary>Mean square of the high-passed magnitude over the motion window, g².</summary>
    public double MotionEnergy() => Mean(_motionSquares);

    /// <summary>Mean square of the gait-band magnitude over the gait window, g².</summary>
    public double GaitBandPower() => Mean(_gaitSquares);

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _highPass.Reset();
        _gaitBand.Reset();
        Array.Clear(_motionSquares);
        Array.Clear(_gaitSquares);
        _motionPosition = _gaitPosition = _rowCounter = 0;
        _heldMagnitude = 0;
        _seen = false;
    }

    [MethodImpl(HotPath.Compiled)]
    private static double Mean(double[] values)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum / values.Length;
    }
}
