using System.Runtime.CompilerServices;
using CrampSense.Detection.Calibration;
using CrampSense.Signals;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;

namespace CrampSense.Detection.Model;

/// <summary>
/// Turns the signal pipeline's per-window features into the window model's inputs (<see cref="ModelFeature"/>):
/// gain-free ratios to a rest floor, a few seconds of causal history (a window cannot see that activity has been
/// going on, or that it comes in bursts), the other sites' activity, and the accelerometer's motion, gait rhythm
/// and posture changes: the evidence of intent that separates voluntary effort from a cramp. Everything is kept
/// in fixed ring buffers: nothing is allocated per row or per window.
/// </summary>
/// <remarks>
/// The rest floor is the signal pipeline's (<see cref="RestFloorTracker"/>: a low percentile of the last minute of
/// windows that were not active), started from a calibrated profile's floor until it has seen rest. The evidence of
/// intent the state machine uses (<see cref="Intent"/>) is computed here from the same context.
/// </remarks>
public sealed class ModelFeatureBuilder
{
    /// <summary>Envelope over floor from which a site counts as active (the pipeline's co-activation ratio).</summary>
    public const double ActiveRatio = 3.0;

    private const double MinimumFloorMillivolts = 0.001;
    private const double ActiveGapSeconds = 0.3;
    private const double MaxActiveSeconds = 10.0;
    private const float NoMotion = -7f;
    private const double PostureTimeConstantSeconds = 0.5;

    /// <summary>How far back a posture change counts as the context of a window, s (the gravity direction is low-passed with a 0.5-s time constant, so a change shows within about a second).</summary>
    public const double ContextLookbackSeconds = 1.5;

    /// <summary>
    /// Motion energy (high-passed acceleration magnitude, mean square over 1 s) or gait-band power that counts as
    /// movement: 10^-2.5 g² ≈ (0.056 g)², about six times the RMS noise of a MEMS accelerometer at rest (≈ 0.01 g).
    /// </summary>
    public const float MotionEvidenceLog10 = -2.5f;

    /// <summary>
    /// |Zero-lag correlation| of two active sites' filtered signals at or above which the other site's activity is taken
    /// as crosstalk of this one, not as co-activation. Independent motor-unit trains give |r| near 0; a volume-conducted
    /// copy gives |r| near its share of the signal.
    /// </summary>
    public const double CrosstalkCorrelation = 0.3;

    /// <summary>A change of the gravity direction of at least this much counts as a posture change, degrees.</summary>
    public const float PostureChangeDegrees = 20f;

    private static readonly float LogActiveRatio = (float)Math.Log10(ActiveRatio);

    private readonly int _siteCount;
    private readonly double _hopSeconds;
    private readonly bool _hasAccelerometer;
    private readonly double[] _profileFloorMillivolts;
    private readonly double[] _maxVoluntaryMillivolts;
    private readonly int _n1;
    private readonly int _n3;
    private readonly int _n5;
    private readonly float[] _values;
    private readonly double[] _floor;
    private readonly float[] _logRatioRing;
    private readonly byte[] _activeRing;
    private readonly double[] _runStart;
    private readonly double[] _lastActive;
    private readonly float[] _currentLogRatio;
    private readonly float[] _currentMean1s;
    private readonly float[] _currentActive;
    private readonly float[] _runPosture;
    private readonly float[] _runMotion;
    private readonly int[] _runWindows;
    private readonly int[] _runOtherActive;
    private readonly bool[] _activeNow;
    private FeatureFrame? _features;
    private readonly int _nContext;
    private float _motionNow;
    private float _recentPosture;
    private readonly float[] _motionRing;
    private readonly float[] _postureRing;
    private int _position;
    private int _filled;
    private double _lowX;
    private double _lowY;
    private double _lowZ;
    private double _lastAccelerationTime;
    private double _gravityStepSeconds = double.NaN;
    private double _gravityGain;
    private bool _hasGravity;
    private int _postureFilled;

    /// <summary>Creates a builder for the sites of <paramref name="layout"/>, one window every <paramref name="hopSeconds"/>.</summary>
    /// <param name="layout">Sites and whether an accelerometer is recorded.</param>
    /// <param name="hopSeconds">Time between windows, s (the pipeline's hop).</param>
    /// <param name="profile">Personal calibration: its rest floor starts the floor, its maximum gives <see cref="ModelFeature.PercentOfMax"/>.</param>
    public ModelFeatureBuilder(RecordingLayout layout, double hopSeconds, PersonalProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!(hopSeconds > 0) || !double.IsFinite(hopSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(hopSeconds), hopSeconds, "The hop must be a positive number of seconds.");
        }

        _siteCount = layout.Sites.Count;
        _hopSeconds = hopSeconds;
        _hasAccelerometer = layout.HasAcceleration;
        _profileFloorMillivolts = new double[_siteCount];
        _maxVoluntaryMillivolts = new double[_siteCount];
        for (int s = 0; s < _siteCount; s++)
        {
            var calibration = profile?.ForSite(layout.Sites[s]);
            _profileFloorMillivolts[s] = calibration is null ? double.NaN : calibration.RestFloorMicrovolts / 1000.0;
            _maxVoluntaryMillivolts[s] = calibration?.MaxVoluntaryMicrovolts is { } max ? max / 1000.0 : double.NaN;
        }

        _n1 = Math.Max(1, (int)Math.Round(1.0 / hopSeconds));
        _n3 = Math.Max(1, (int)Math.Round(3.0 / hopSeconds));
        _n5 = Math.Max(_n3, (int)Math.Round(5.0 / hopSeconds));
        _values = new float[_siteCount * ModelFeatureNames.Count];
        _floor = new double[_siteCount];
        _logRatioRing = new float[_siteCount * _n5];
        _activeRing = new byte[_siteCount * _n5];
        _runStart = new double[_siteCount];
        _lastActive = new double[_siteCount];
        _currentLogRatio = new float[_siteCount];
        _currentMean1s = new float[_siteCount];
        _currentActive = new float[_siteCount];
        _runPosture = new float[_siteCount];
        _runMotion = new float[_siteCount];
        _runWindows = new int[_siteCount];
        _runOtherActive = new int[_siteCount];
        _nContext = Math.Clamp((int)Math.Round(ContextLookbackSeconds / hopSeconds), 1, _n5);
        _activeNow = new bool[_siteCount];
        _motionRing = new float[_n5];
        _postureRing = new float[_n5 * 3];
        Reset();
    }

    /// <summary>Number of sites.</summary>
    public int SiteCount => _siteCount;

    /// <summary>The model inputs of site <paramref name="site"/> for the latest window, in <see cref="ModelFeature"/> order.</summary>
    public ReadOnlySpan<float> Site(int site) => _values.AsSpan(site * ModelFeatureNames.Count, ModelFeatureNames.Count);

    /// <summary>The detector's rest floor of <paramref name="site"/> (envelope mean), µV; 0 before the first clean window.</summary>
    public float RestFloorMicrovolts(int site) => double.IsNaN(_floor[site]) ? 0f : (float)(Math.Max(_floor[site], MinimumFloorMillivolts) * 1000.0);

    /// <summary>
    /// The evidence of intent in the latest window's context for site <paramref name="site"/>: accelerometer motion
    /// (the pipeline's motion energy, a mean square over the last second), a change of the limb's orientation to gravity
    /// of at least <see cref="PostureChangeDegrees"/> within the last <see cref="ContextLookbackSeconds"/>, another site
    /// active by its own activity detector, or the site's own rhythmic burst pattern (<see cref="FeatureFrame.IsRhythmic"/>). The tracker looks at these for the windows around a contraction's onset.
    /// </summary>
    public IntentEvidence Intent(int site)
    {
        var evidence = IntentEvidence.None;
        if (_motionNow >= MotionEvidenceLog10)
        {
            evidence |= IntentEvidence.Motion;
        }

        if (_recentPosture >= PostureChangeDegrees)
        {
            evidence |= IntentEvidence.PostureChange;
        }

        // The cadence inside one burst is the fallback for a site without an accelerometer: where one is worn, gait is
        // its evidence (motion), which a cramp's fluctuating envelope cannot imitate, while a cramp whose envelope
        // waxes and wanes deeply at 1-3 Hz could pass the cadence test (docs/detector.md, "Cadence inside one activation").
        if (_features is not null && _features.IsRhythmic(site) && !(_hasAccelerometer && _features.IsCadenceOnly(site)))
        {
            evidence |= IntentEvidence.Rhythm;
        }

        for (int o = 0; o < _siteCount; o++)
        {
            // Another site clearly active (at the activation level, not only held by the detector's hysteresis) with a
            // waveform of its own: crosstalk of this site's contraction on a neighbouring electrode follows this site's
            // waveform and is not a second muscle.
            if (o != site && _activeNow[o] && !(Math.Abs(_features!.SignalCorrelation(site, o)) >= CrosstalkCorrelation))
            {
                evidence |= IntentEvidence.Coactivation;
                break;
            }
        }

        return evidence;
    }

    /// <summary>Follows the accelerometer row by row (the gravity direction, low-passed, for posture changes).</summary>
    [MethodImpl(HotPath.Compiled)]
    public void OnRow(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.HasAcceleration)
        {
            return;
        }

        double x = frame.AccelerationXG;
        double y = frame.AccelerationYG;
        double z = frame.AccelerationZG;
        if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z))
        {
            return;
        }

        if (!_hasGravity)
        {
            _lowX = x;
            _lowY = y;
            _lowZ = z;
            _hasGravity = true;
        }
        else
        {
            double dt = Math.Clamp(frame.TimeSeconds - _lastAccelerationTime, 0, 1);
            if (dt != _gravityStepSeconds)
            {
                // Rows come at one rate: the exponential is taken again only when the step changes.
                _gravityStepSeconds = dt;
                _gravityGain = 1 - Math.Exp(-dt / PostureTimeConstantSeconds);
            }

            double gain = _gravityGain;
            _lowX += gain * (x - _lowX);
            _lowY += gain * (y - _lowY);
            _lowZ += gain * (z - _lowZ);
        }

        _lastAccelerationTime = frame.TimeSeconds;
    }

    /// <summary>
    /// Rewrites site <paramref name="site"/>'s inputs taken from the window's time-domain and spectral features, after the
    /// pipeline computed them late (<see cref="EmgFeatureExtractor.CompleteModelFeatures"/>): the same inputs as if
    /// <see cref="Compute"/> had seen them.
    /// </summary>
    public void RefreshWaveformInputs(FeatureFrame features, int site)
    {
        ArgumentNullException.ThrowIfNull(features);
        WriteWaveformInputs(features.Site(site), _values.AsSpan(site * ModelFeatureNames.Count, ModelFeatureNames.Count));
    }

    /// <summary>The inputs read from the pipeline's time-domain and spectral features of one site.</summary>
    private static void WriteWaveformInputs(ReadOnlySpan<float> input, Span<float> v)
    {
        float rms = input[(int)EmgFeature.Rms];
        float mav = input[(int)EmgFeature.Mav];
        v[(int)ModelFeature.MeanFrequency] = Finite(input[(int)EmgFeature.MeanFrequency]);
        v[(int)ModelFeature.MedianFrequency] = Finite(input[(int)EmgFeature.MedianFrequency]);
        v[(int)ModelFeature.LowBandRatio] = Finite(input[(int)EmgFeature.LowBandRatio]);
        v[(int)ModelFeature.MidBandRatio] = Finite(input[(int)EmgFeature.MidBandRatio]);
        v[(int)ModelFeature.HighBandRatio] = Finite(input[(int)EmgFeature.HighBandRatio]);
        v[(int)ModelFeature.ZeroCrossings] = Finite(input[(int)EmgFeature.ZeroCrossings]);
        v[(int)ModelFeature.SlopeSignChanges] = Finite(input[(int)EmgFeature.SlopeSignChanges]);
        v[(int)ModelFeature.WaveformLengthRelative] = mav > 1e-9f ? Finite(input[(int)EmgFeature.WaveformLength] / mav) : 0f;
        v[(int)ModelFeature.TeagerRelative] = rms > 1e-9f ? Finite(input[(int)EmgFeature.TeagerEnergy] / (rms * rms)) : 0f;
    }

    /// <summary>Computes every site's model inputs from the pipeline's latest window.</summary>
    [MethodImpl(HotPath.Compiled)]
    public void Compute(FeatureFrame features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Sites.Count != _siteCount)
        {
            throw new ArgumentException($"The feature frame has {features.Sites.Count} sites; the builder has {_siteCount}.", nameof(features));
        }

        double t = features.TimeSeconds;
        _features = features;
        int position = _position;
        int filled = Math.Min(_filled + 1, _n5);

        float motion = _hasAccelerometer ? Log(features[0, EmgFeature.MotionEnergy]) : NoMotion;
        float gait = _hasAccelerometer ? Log(features[0, EmgFeature.GaitBandPower]) : NoMotion;
        _motionRing[position] = motion;
        float posture = 0f;
        float recentPosture = 0f;
        if (_hasGravity)
        {
            double norm = Math.Sqrt((_lowX * _lowX) + (_lowY * _lowY) + (_lowZ * _lowZ));
            if (norm > 1e-6)
            {
                _postureRing[position * 3] = (float)(_lowX / norm);
                _postureRing[(position * 3) + 1] = (float)(_lowY / norm);
                _postureRing[(position * 3) + 2] = (float)(_lowZ / norm);
                _postureFilled = Math.Min(_postureFilled + 1, _n5);

                // One pass over the ring: the recent stretch's lowest dot product, then the rest's (a minimum of finite
                // values does not depend on the order it is taken in, so both equal separate scans).
                float recentLowest = LowestPostureDot(position, 1, Math.Min(_postureFilled, _nContext), 1f);
                recentPosture = Degrees(recentLowest);
                posture = Degrees(LowestPostureDot(position, Math.Min(_postureFilled, _nContext), _postureFilled, recentLowest));
            }
        }

        _recentPosture = recentPosture;
        _motionNow = motion;

        // The ring's slots not yet written hold NoMotion (Reset), the maximum's start, so the whole ring can be scanned in
        // array order: the same maximum as over the filled windows newest first.
        float motionMax = NoMotion;
        foreach (float value in _motionRing)
        {
            motionMax = Math.Max(motionMax, value);
        }

        for (int s = 0; s < _siteCount; s++)
        {
            ComputeSite(features, s, t, position, filled);
            var v = _values.AsSpan(s * ModelFeatureNames.Count, ModelFeatureNames.Count);
            v[(int)ModelFeature.LogMotionEnergy] = motion;
            v[(int)ModelFeature.LogMotionEnergyMax5s] = motionMax;
            v[(int)ModelFeature.LogGaitPower] = gait;
            v[(int)ModelFeature.PostureChange5s] = posture;
            v[(int)ModelFeature.HasAccelerometer] = _hasAccelerometer ? 1f : 0f;
            v[(int)ModelFeature.HasOtherSites] = _siteCount > 1 ? 1f : 0f;
        }

        for (int s = 0; s < _siteCount; s++)
        {
            float otherRatio = 0f;
            float otherMean = 0f;
            float otherActive = 0f;
            for (int o = 0; o < _siteCount; o++)
            {
                if (o == s)
                {
                    continue;
                }

                otherRatio = Math.Max(otherRatio, _currentLogRatio[o]);
                otherMean = Math.Max(otherMean, _currentMean1s[o]);
                otherActive = Math.Max(otherActive, _currentActive[o]);
            }

            var v = _values.AsSpan(s * ModelFeatureNames.Count, ModelFeatureNames.Count);
            bool otherIsActive = otherActive > 0;
            if (_currentActive[s] > 0)
            {
                // Within a run of activity: remember the context that came with its start.
                if (_runWindows[s] == 0)
                {
                    _runPosture[s] = posture;
                    _runMotion[s] = motionMax;
                }

                _runPosture[s] = Math.Max(_runPosture[s], posture);
                _runMotion[s] = Math.Max(_runMotion[s], motionMax);
                _runWindows[s]++;
                _runOtherActive[s] += otherIsActive ? 1 : 0;
                v[(int)ModelFeature.RunPostureChange] = _runPosture[s];
                v[(int)ModelFeature.RunMotionMax] = _runMotion[s];
                v[(int)ModelFeature.RunOtherSitesActiveFraction] = (float)_runOtherActive[s] / _runWindows[s];
            }
            else
            {
                _runWindows[s] = 0;
                _runOtherActive[s] = 0;
                v[(int)ModelFeature.RunPostureChange] = posture;
                v[(int)ModelFeature.RunMotionMax] = motionMax;
                v[(int)ModelFeature.RunOtherSitesActiveFraction] = otherIsActive ? 1f : 0f;
            }

            v[(int)ModelFeature.OtherSitesLogRatio] = otherRatio;
            v[(int)ModelFeature.OtherSitesLogRatioMean1s] = otherMean;
            v[(int)ModelFeature.OtherSitesActiveSeconds] = otherActive;
            v[(int)ModelFeature.CoactivationCorrelation] = Finite(features[s, EmgFeature.CoactivationCorrelation]);
        }

        _position = position + 1 == _n5 ? 0 : position + 1;
        _filled = filled;
    }

    /// <summary>Forgets all history (the floor restarts from the profile's, or from the next clean window).</summary>
    public void Reset()
    {
        Array.Clear(_values);
        Array.Clear(_logRatioRing);
        Array.Clear(_activeRing);
        Array.Clear(_currentLogRatio);
        Array.Clear(_currentMean1s);
        Array.Clear(_currentActive);
        Array.Clear(_runPosture);
        Array.Clear(_runMotion);
        Array.Clear(_runWindows);
        Array.Clear(_runOtherActive);
        Array.Fill(_motionRing, NoMotion);
        Array.Clear(_activeNow);
        _motionNow = NoMotion;
        _recentPosture = 0f;
        Array.Clear(_postureRing);
        for (int s = 0; s < _siteCount; s++)
        {
            _floor[s] = _profileFloorMillivolts[s];
            _runStart[s] = double.NaN;
            _lastActive[s] = double.NaN;
        }

        _position = 0;
        _filled = 0;
        _hasGravity = false;
        _postureFilled = 0;
        _lastAccelerationTime = 0;
    }

    [MethodImpl(HotPath.Compiled)]
    private void ComputeSite(FeatureFrame features, int s, double t, int position, int filled)
    {
        var input = features.Site(s);
        double envelope = input[(int)EmgFeature.EnvelopeMean];

        // One rest floor for the whole detector: the signal pipeline's robust one (RestFloorTracker).
        double pipelineFloor = input[(int)EmgFeature.RestFloor];
        if (double.IsFinite(pipelineFloor) && pipelineFloor > 0)
        {
            _floor[s] = pipelineFloor;
        }

        // Clearly active (at the activation level, not only held by the activity detector's hysteresis): co-activation.
        _activeNow[s] = features.Activity(s).IsActive && envelope >= MuscleActivityDetector.ActivateRatio * pipelineFloor;

        double reference = double.IsNaN(_floor[s]) ? double.NaN : Math.Max(_floor[s], MinimumFloorMillivolts);
        float logRatio = double.IsFinite(envelope) && double.IsFinite(reference)
            ? (float)Math.Log10(Math.Max(envelope / reference, 1e-3))
            : 0f;
        bool active = logRatio >= LogActiveRatio;

        int ringBase = s * _n5;
        _logRatioRing[ringBase + position] = logRatio;
        _activeRing[ringBase + position] = active ? (byte)1 : (byte)0;

        if (active)
        {
            if (double.IsNaN(_lastActive[s]) || t - _lastActive[s] > ActiveGapSeconds + 1e-9)
            {
                _runStart[s] = t - _hopSeconds;
            }

            _lastActive[s] = t;
        }

        float activeSeconds = !double.IsNaN(_lastActive[s]) && t - _lastActive[s] <= ActiveGapSeconds + 1e-9
            ? (float)Math.Min(MaxActiveSeconds, t - _runStart[s])
            : 0f;

        float sum1 = 0f;
        float min1 = float.MaxValue;
        float sum3 = 0f;
        float sumSquares3 = 0f;
        float min3 = float.MaxValue;
        float max5 = float.MinValue;
        int transitions = 0;
        int n1 = Math.Min(_n1, filled);
        int n3 = Math.Min(_n3, filled);
        byte previous = _activeRing[ringBase + position];

        // Newest first, in three stretches (the last 1 s, 1–3 s, 3–5 s) instead of two range tests per window: each sum
        // still adds the same values in the same order.
        var logRatios = _logRatioRing.AsSpan(ringBase, _n5);
        var flags = _activeRing.AsSpan(ringBase, _n5);
        int k = 0;
        for (; k < n1; k++)
        {
            int index = Index(position, k);
            float value = logRatios[index];
            sum1 += value;
            min1 = Math.Min(min1, value);
            sum3 += value;
            sumSquares3 += value * value;
            min3 = Math.Min(min3, value);
            max5 = Math.Max(max5, value);
            byte flag = flags[index];
            transitions += flag != previous ? 1 : 0;
            previous = flag;
        }

        for (; k < n3; k++)
        {
            int index = Index(position, k);
            float value = logRatios[index];
            sum3 += value;
            sumSquares3 += value * value;
            min3 = Math.Min(min3, value);
            max5 = Math.Max(max5, value);
            byte flag = flags[index];
            transitions += flag != previous ? 1 : 0;
            previous = flag;
        }

        for (; k < filled; k++)
        {
            int index = Index(position, k);
            max5 = Math.Max(max5, logRatios[index]);
            byte flag = flags[index];
            transitions += flag != previous ? 1 : 0;
            previous = flag;
        }

        float mean1 = sum1 / n1;
        float mean3 = sum3 / n3;
        float variance3 = Math.Max(0f, (sumSquares3 / n3) - (mean3 * mean3));

        float mean = input[(int)EmgFeature.EnvelopeMean];
        var v = _values.AsSpan(s * ModelFeatureNames.Count, ModelFeatureNames.Count);
        v[(int)ModelFeature.LogRatio] = logRatio;
        v[(int)ModelFeature.LogRatioMean1s] = mean1;
        v[(int)ModelFeature.LogRatioMin1s] = min1;
        v[(int)ModelFeature.LogRatioMean3s] = mean3;
        v[(int)ModelFeature.LogRatioMin3s] = min3;
        v[(int)ModelFeature.LogRatioSd3s] = MathF.Sqrt(variance3);
        v[(int)ModelFeature.LogRatioMax5s] = max5;
        v[(int)ModelFeature.ActiveSeconds] = activeSeconds;
        v[(int)ModelFeature.Transitions5s] = transitions;
        v[(int)ModelFeature.EnvelopeCv] = Finite(input[(int)EmgFeature.EnvelopeCv]);
        v[(int)ModelFeature.EnvelopeSlopeRelative] = mean > 1e-9f ? Math.Clamp(Finite(input[(int)EmgFeature.EnvelopeSlope] / mean), -50f, 50f) : 0f;
        WriteWaveformInputs(input, v);
        v[(int)ModelFeature.PercentOfMax] = double.IsNaN(_maxVoluntaryMillivolts[s]) || !float.IsFinite(mean)
            ? -1f
            : (float)(100.0 * mean / _maxVoluntaryMillivolts[s]);

        _currentLogRatio[s] = logRatio;
        _currentMean1s[s] = mean1;
        _currentActive[s] = activeSeconds;
    }

    /// <summary>
    /// The lowest dot product of the newest posture with those <paramref name="fromBack"/> to <paramref name="toBack"/>
    /// (exclusive) hops before it, starting from <paramref name="lowest"/>: the ring read as at most two contiguous stretches
    /// instead of a wrapped index per window.
    /// </summary>
    private float LowestPostureDot(int position, int fromBack, int toBack, float lowest)
    {
        if (toBack <= fromBack)
        {
            return lowest;
        }

        float x = _postureRing[position * 3];
        float y = _postureRing[(position * 3) + 1];
        float z = _postureRing[(position * 3) + 2];

        // Windows fromBack … toBack − 1 hops back sit at ring slots position − toBack + 1 … position − fromBack, modulo the ring.
        int first = position - toBack + 1;
        int last = position - fromBack;
        if (first < 0)
        {
            int wrappedLast = last < 0 ? last + _n5 : _n5 - 1;
            lowest = LowestDot(_postureRing.AsSpan((first + _n5) * 3, (wrappedLast - first - _n5 + 1) * 3), x, y, z, lowest);
            first = 0;
        }

        if (last >= first)
        {
            lowest = LowestDot(_postureRing.AsSpan(first * 3, (last - first + 1) * 3), x, y, z, lowest);
        }

        return lowest;
    }

    [MethodImpl(HotPath.Compiled)]
    private static float LowestDot(ReadOnlySpan<float> directions, float x, float y, float z, float lowest)
    {
        for (int i = 0; i + 2 < directions.Length; i += 3)
        {
            float dot = (x * directions[i]) + (y * directions[i + 1]) + (z * directions[i + 2]);
            lowest = Math.Min(lowest, dot);
        }

        return lowest;
    }

    private static float Degrees(float lowestDot) => MathF.Acos(Math.Clamp(lowestDot, -1f, 1f)) * (180f / MathF.PI);

    /// <summary>Ring index of the window <paramref name="back"/> hops before <paramref name="position"/>.</summary>
    private int Index(int position, int back)
    {
        int i = position - back;
        return i < 0 ? i + _n5 : i;
    }

    private static float Log(float value) => float.IsFinite(value) && value > 0 ? MathF.Log10(value + 1e-7f) : NoMotion;

    private static float Finite(float value) => float.IsFinite(value) ? value : 0f;
}
