using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrampSense.Signals.Dsp;

namespace CrampSense.Signals.Features;

/// <summary>
/// Signal quality of one EMG channel relative to its front end. <see cref="Add"/> takes every raw sample (cheap,
/// allocation-free); <see cref="Evaluate"/> judges the last window once per hop and returns its
/// <see cref="SignalQuality"/> flags (all but <see cref="SignalQuality.DroppedSamples"/>, which is a property of the
/// frame clock, not of a channel). Thresholds and their reasons: docs/signal-pipeline.md §3.
/// </summary>
/// <remarks>
/// Written here because no EMG library at hand judges quality against an ADC's full scale or tells a hum burst
/// from steady hum; the mains lines are measured with a Hann-windowed DFT at the ten candidate frequencies
/// (50/60 Hz and harmonics up to the 5th) — ten dot products, cheaper than a full FFT — once per window length.
/// </remarks>
public sealed class ChannelQualityMonitor
{
    private const long Never = long.MinValue / 2;
    private const int Harmonics = 5;

    /// <summary>Corner of the high-pass in front of the hum measurement, Hz: removes offset and drift, keeps 50 Hz (gain 0.98).</summary>
    private const double HumHighPassHz = 10;

    /// <summary>
    /// An opposite phase this large (relative to the spike) next to a spike makes it a motor-unit potential, not a pop:
    /// the leading positive phase of needle MUAPs in physionet emgdb (neuropathy) is 14–19 % of the main one.
    /// </summary>
    private const float OppositePhaseFraction = 0.1f;

    /// <summary>Consecutive hum measurements (one per window length) a mains line must dominate before it is a fault.</summary>
    private const int HumPersistence = 2;

    /// <summary>Separate visits of a pile-up value a window needs: clipping returns to the rail, a held sample-and-hold value does not.</summary>
    private const int PileUpVisits = 3;

    /// <summary>Code changes in a row that must each be one step of the same quantum before a channel counts as dithering.</summary>
    private const int DitherChanges = 3;

    /// <summary>
    /// Two steps count as the same quantum within this fraction: a recording may round the codes to a few decimals
    /// (16.1 µV written as 0.016 or 0.017 mV), and the next candidate, two steps, is 100 % away.
    /// </summary>
    private const float QuantumTolerance = 0.1f;

    /// <summary>
    /// Largest ratio of second- to first-difference power of a saturated window's unclipped stretches: between the 2
    /// (4·sin²(π/4)) of a signal whose power lies below a quarter of the sample rate and the 3 of independent samples.
    /// Independent Gaussian samples clipped on a fifth of a 250-sample window never fell below 2.34 in 4000 seeded
    /// windows; a 146-Hz-median contraction at 1 kHz reaches 2 now and then.
    /// </summary>
    private const double MaximumDifferenceRatio = 2.25;

    /// <summary>
    /// The fraction at the rails a saturated window may have is judged over the windows of the last second, s: one
    /// 250-ms window holds only a few dozen cycles of a low-frequency contraction, whose clipped fraction then
    /// swings far around 2Q(FS/σ).
    /// </summary>
    internal const double SaturatedFractionSeconds = 1;

    /// <summary>
    /// Spread of the difference ratio of independent samples: its standard deviation over n triples of unclipped samples
    /// is about 1.8/√n (seeded simulation of Gaussian samples clipped on 20–60 % of 125–500-sample windows, pooled or
    /// not: 1.7–1.8 for n ≥ 100, more below), whatever the fraction clipped.
    /// </summary>
    private const double IndependentRatioSpread = 1.8;

    /// <summary>
    /// The pooled ratio of the last second must lie this many standard deviations of independent samples below their 3
    /// (one-sided: about 3·10⁻⁷ by chance if Gaussian), so a second of clipped broadband noise passes essentially never.
    /// </summary>
    private const double PooledRatioSigmas = 5;

    /// <summary>
    /// …and at most this: EMG sampled at 500 Hz with its median at 110 Hz pools to 2.1–2.3 (its power reaches fs/4), a
    /// band-limited signal sampled faster lies lower; a ratio nearer 3 says little whatever the count.
    /// </summary>
    private const double MaximumPooledRatio = 2.5;

    /// <summary>Fewest distinct triples the pooled ratio needs (its bound is then 2.1): below, the ratio of independent samples spreads wider than 1.8/√n.</summary>
    private const double MinimumPooledTriples = 100;

    /// <summary>
    /// Top of the surface-EMG band, Hz (little power above 250 Hz, De Luca 1997): at a sample rate of at most twice it the
    /// band fills the whole Nyquist band, so a contraction's unclipped runs need not be band-limited and their difference
    /// ratio (2.4–3.1 for the motor-unit engine's 500-Hz cramps) cannot tell it from clipped broadband noise (3).
    /// </summary>
    private const double EmgBandTopHz = 250;

    /// <summary>
    /// How far from the mean of a window's samples below SaturationMillivolts, in their RMS, a sample at or beyond it must
    /// lie to be railed: 8·√3 σ. Surface EMG's amplitude is close to Gaussian, at most as heavy-tailed as a Laplacian
    /// (Clancy &amp; Hogan, "Probability density of the surface electromyogram and its relation to amplitude detectors",
    /// IEEE Trans Biomed Eng 46(6), 1999, 730–739), so a measured signal's excursions stay within a bounded multiple
    /// of its RMS: beyond 8√3 ≈ 13.9 σ lie about 10⁻⁴³ of Gaussian and 3·10⁻⁹ of Laplacian samples. A sample that far
    /// out is not the window's signal: a rail, a pop or a disconnection. A contraction on a front end whose range
    /// exceeds 20 mV (a gain several times the nominal one) reaches 20 mV at a few σ and is not railed; the RMS is
    /// measured on the samples within 20 mV only, which understates a signal's (truncated at 1 σ, 0.54 σ), and the
    /// bound still reaches 7.5 σ then.
    /// </summary>
    private static readonly double s_beyondSignalRms = 8 * Math.Sqrt(3);

    private static readonly double[] s_mainsHz = [50, 60];

    private readonly int _window;
    private readonly float[] _raw;
    private readonly float[] _highPassed;
    private readonly DcBlocker _highPass;
    private readonly float _saturation;
    private readonly float _flatTolerance;
    private readonly int _flatRun;
    private readonly int _flatDitherRun;
    private readonly float _ditherStep;
    private readonly float[] _recentSteps;
    private readonly float[] _recentCodes;
    private readonly double _low;
    private readonly double _high;
    private readonly double _margin;
    private readonly bool _knownFullScale;
    private readonly int _clippedCount;
    private readonly int _railedCount;
    private readonly double _saturatedMaximumFraction;
    private readonly int[] _clippedPerWindow;
    private readonly double _overdrivenMaximumFraction;
    private readonly bool _bandUnresolvable;

    // The unclipped runs' moments of each window of the last second (zeros for an unclipped one while nothing clipped), same slots as _clippedPerWindow.
    private readonly double[] _firstPerWindow;
    private readonly double[] _secondPerWindow;
    private readonly int[] _triplesPerWindow;

    // Consecutive windows whose moments were pooled (the signal near the rails or clipping): fewer than a second's worth,
    // and the pooled evidence is still incomplete.
    private int _pooledWindows;
    private readonly double _pileUpRatio;
    private readonly double _pileUpMinimum;
    private readonly double _humDominance;
    private readonly double _humBurstMinimum;
    private readonly double _humBurstRatio;
    private readonly double _leadOffHum;
    private readonly double _spikeMinimum;
    private readonly double _spikeSpreadRatio;
    private readonly int _spikeMaxSamples;
    private readonly int _spikeFlankSamples;
    private readonly int _spikeTrainCount;
    private readonly int _humEveryHops;
    private readonly int _hop;
    private readonly int[] _spikesPerHop;
    private readonly UsualLevelTracker _usualHum;

    // Hann-weighted cosine and sine of each mains candidate, [family][harmonic] flattened; family f has _lines[f] lines.
    private readonly float[][] _cosines;
    private readonly float[][] _sines;
    private readonly int[] _lines;
    private readonly double _lineScale;

    private int _position;
    private long _count;
    private long _lastSaturated;
    private long _lastFlat;
    private long _lastNonFinite;
    private float _previous;
    private float _held;
    private int _flatRunLength;
    private int _stepSlot;
    private bool _dithering;
    private float _quantum;
    private int _hopsUntilHum;
    private SignalQuality _humVerdict;
    private int _spikeSlot;
    private int _dominantRun;
    private int _spikeTotal;
    private int _clippedSlot;
    private int _pendingHighPass;
    private int _clippedTotal;
    private float _highest;
    private float _lowest;
    private float _smallestStep;

    // Without a known full scale: the rails the pile-up rule found (NaN until it has). An ADC's rail does not move, so once
    // found it is kept while nothing exceeds it; a window pinned at it (mean at the rail, one long visit) is then clipped,
    // which the pile-up rule alone cannot see.
    private float _inferredHigh;
    private float _inferredLow;

    /// <summary>Creates a monitor judging windows of <paramref name="windowLength"/> samples every <paramref name="hopLength"/>.</summary>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    /// <param name="windowLength">Samples per judged window (the feature window).</param>
    /// <param name="hopLength">Samples between calls of <see cref="Evaluate"/>.</param>
    /// <param name="options">Thresholds (the quality options of <see cref="FeatureExtractorOptions"/>).</param>
    /// <param name="fullScale">The channel's input range; null = unknown (clipping inferred from pile-ups).</param>
    public ChannelQualityMonitor(double sampleRateHz, int windowLength, int hopLength, FeatureExtractorOptions options, FullScaleRange? fullScale)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowLength, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(hopLength, 1);
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        SampleRateHz = sampleRateHz;
        FullScale = fullScale;
        _window = windowLength;
        _raw = new float[2 * windowLength];
        _highPassed = new float[2 * windowLength];
        _highPass = new DcBlocker(sampleRateHz, Math.Min(HumHighPassHz, sampleRateHz / 8));
        _saturation = (float)options.SaturationMillivolts;
        _flatTolerance = (float)options.FlatToleranceMillivolts;
        _flatRun = Math.Max(2, (int)Math.Round(options.FlatSeconds * sampleRateHz));
        _flatDitherRun = Math.Max(_flatRun, (int)Math.Round(options.FlatDitherSeconds * sampleRateHz));
        _ditherStep = (float)options.FlatDitherStepMillivolts;
        _recentSteps = new float[DitherChanges];
        _recentCodes = new float[DitherChanges];
        _knownFullScale = fullScale is not null;
        if (fullScale is { } range)
        {
            _low = range.LowMillivolts;
            _high = range.HighMillivolts;
            _margin = options.ClipMarginFraction * range.HalfSpanMillivolts;
        }

        _clippedCount = Math.Max(2, (int)Math.Ceiling(options.ClippedFraction * windowLength));
        _railedCount = Math.Max(2, (int)Math.Ceiling(options.RailedFraction * windowLength));
        _saturatedMaximumFraction = options.SaturatedMaximumFraction;
        _clippedPerWindow = new int[Math.Max(1, (int)Math.Round(SaturatedFractionSeconds * sampleRateHz / hopLength))];
        _overdrivenMaximumFraction = options.OverdrivenMaximumFraction;
        _bandUnresolvable = sampleRateHz <= 2 * EmgBandTopHz;
        _firstPerWindow = new double[_clippedPerWindow.Length];
        _secondPerWindow = new double[_clippedPerWindow.Length];
        _triplesPerWindow = new int[_clippedPerWindow.Length];
        _pileUpRatio = options.PileUpRatio;
        _pileUpMinimum = options.PileUpMinimumMillivolts;
        _humDominance = options.HumDominanceFraction;
        _humBurstMinimum = options.HumBurstMinimumMillivolts;
        _humBurstRatio = options.HumBurstRatio;
        _leadOffHum = options.LeadOffHumMillivolts;
        _spikeMinimum = options.SpikeMinimumMillivolts;
        _spikeSpreadRatio = options.SpikeSpreadRatio;
        _spikeMaxSamples = Math.Max(1, (int)Math.Round(options.SpikeMaxSeconds * sampleRateHz));
        _spikeFlankSamples = Math.Max(2, 2 * _spikeMaxSamples);
        _spikeTrainCount = options.SpikeTrainCount;
        _hop = hopLength;
        _spikesPerHop = new int[Math.Max(1, (int)Math.Round(options.SpikeTrainSeconds * sampleRateHz / hopLength))];
        if (windowLength < hopLength + (2 * _spikeFlankSamples))
        {
            throw new ArgumentOutOfRangeException(nameof(windowLength), windowLength, $"The window must hold a hop ({hopLength}) and two spike flanks ({_spikeFlankSamples} samples each).");
        }

        // Hum changes over seconds: measuring it once per window length (not every hop) costs a fifth and loses nothing.
        _humEveryHops = Math.Max(1, windowLength / hopLength);
        _usualHum = new UsualLevelTracker(_humEveryHops * hopLength / sampleRateHz, options.UsualHumRiseSeconds, options.UsualHumFallSeconds, 1e-6);

        var hann = new double[windowLength];
        double hannSum = 0;
        for (int n = 0; n < windowLength; n++)
        {
            hann[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / windowLength));
            hannSum += hann[n];
        }

        // A sinusoid of amplitude A gives |X| = A·Σw/2, so its power A²/2 = 2|X|²/(Σw)².
        _lineScale = 2 / (hannSum * hannSum);
        _lines = new int[s_mainsHz.Length];
        _cosines = new float[s_mainsHz.Length * Harmonics][];
        _sines = new float[s_mainsHz.Length * Harmonics][];
        for (int f = 0; f < s_mainsHz.Length; f++)
        {
            for (int h = 1; h <= Harmonics && h * s_mainsHz[f] < 0.45 * sampleRateHz; h++)
            {
                double omega = 2 * Math.PI * h * s_mainsHz[f] / sampleRateHz;
                var c = new float[windowLength];
                var s = new float[windowLength];
                for (int n = 0; n < windowLength; n++)
                {
                    c[n] = (float)(hann[n] * Math.Cos(omega * n));
                    s[n] = (float)(hann[n] * Math.Sin(omega * n));
                }

                _cosines[(f * Harmonics) + h - 1] = c;
                _sines[(f * Harmonics) + h - 1] = s;
                _lines[f] = h;
            }
        }

        Reset();
    }

    public double SampleRateHz { get; }

    /// <summary>The channel's input range, or null when it is unknown.</summary>
    public FullScaleRange? FullScale { get; }

    /// <summary>
    /// True while the known full scale is judged against: it is known and no sample so far lay beyond it by more than the
    /// clip margin. An ADC cannot report a value outside its rails, so such a sample shows the declared range is not the
    /// channel's (e.g. a recording's <c>full_scale_mv</c> key meant for another gain); clipping is then inferred from
    /// pile-ups as without a full scale, until <see cref="Reset"/>.
    /// </summary>
    public bool IsFullScaleBelieved => _knownFullScale && _highest <= _high + _margin && _lowest >= _low - _margin;

    /// <summary>RMS of the stronger mains family (fundamental and harmonics) in the last hum measurement, mV.</summary>
    public double HumMillivolts { get; private set; }

    /// <summary>Fraction of the last measured window's power in that mains family, 0–1.</summary>
    public double HumFraction { get; private set; }

    /// <summary>The stronger mains family in the last measurement, 50 or 60 Hz (NaN before the first).</summary>
    public double MainsHz { get; private set; }

    /// <summary>
    /// The ADC step seen while the channel dithered and held a code for FlatSeconds (rest below one step), mV; NaN
    /// until it has. A channel's step does not change, so it is kept until <see cref="Reset"/>.
    /// </summary>
    public double QuantumMillivolts { get; private set; }

    /// <summary>
    /// The lowest rest floor this channel can resolve, mV (NaN when its step is unknown): a quarter step, the mean
    /// absolute value of uniform quantisation noise (error uniform over ±½ step: Bennett, "Spectra of quantized
    /// signals", Bell Syst Tech J 27, 1948, 446). Rest below one step shows as a code that moves now and then, whose envelope is mostly zero; a floor
    /// learnt from it would make every toggle and the tail of every contraction look like activity.
    /// </summary>
    public double ResolutionFloorMillivolts => QuantumMillivolts / 4;

    /// <summary>
    /// The smallest change between consecutive samples so far, mV (+∞ before the first change): the ADC's step on a
    /// quantised channel (rest noise of a step or more moves the code by one step now and then; DNL may widen a code,
    /// never narrow the step below one LSB), vanishingly small on an unquantised one. Unlike <see cref="QuantumMillivolts"/>
    /// it needs no sub-step rest, so it is known within the first second of any quantised recording. Kept until <see cref="Reset"/>.
    /// </summary>
    public double StepMillivolts => _smallestStep;

    /// <summary>The channel's usual hum RMS, mV (NaN before the first clean measurement): rises slowly, falls fast.</summary>
    public double UsualHumMillivolts => _usualHum.Level;

    /// <summary>Adds one raw sample, mV (NaN and infinities are flagged and replaced by the last finite value).</summary>
    [MethodImpl(HotPath.Compiled)]
    public void Add(float raw)
    {
        long index = _count;
        if (!float.IsFinite(raw))
        {
            _lastNonFinite = index;
            _flatRunLength = 0;
            raw = _held;
        }
        else
        {
            if (Math.Abs(raw) >= _saturation)
            {
                _lastSaturated = index;
            }

            if (Math.Abs(raw - _previous) <= _flatTolerance)
            {
                // A dithering channel (rest below one ADC step) may hold a code for FlatDitherSeconds; a stuck one only FlatSeconds.
                if (++_flatRunLength >= (_dithering ? _flatDitherRun : _flatRun) - 1)
                {
                    _lastFlat = index;
                }
                else if (_flatRunLength == _flatRun - 1)
                {
                    // Holding a code that long between steps of one quantum is what rest below one step looks like; a
                    // busy signal whose values happen to repeat (hum, a recording rounded to 0.1 µV) never holds.
                    QuantumMillivolts = _quantum;
                }
            }
            else
            {
                _flatRunLength = 0;
                _dithering = IsDither(_previous, raw);
                float step = Math.Abs(raw - _previous);
                _smallestStep = step < _smallestStep ? step : _smallestStep; // false for the first sample's NaN
            }

            _previous = raw;
            _held = raw;

            // The channel's extremes so far: an ADC's rail is the one value nothing ever exceeds.
            _highest = Math.Max(_highest, raw);
            _lowest = Math.Min(_lowest, raw);
        }

        int position = _position;
        _raw[position] = raw;
        _raw[position + _window] = raw;
        _position = position + 1 == _window ? 0 : position + 1;
        _count = index + 1;
        if (++_pendingHighPass == _window)
        {
            CatchUpHighPass();
        }
    }

    /// <summary>
    /// Runs the hum measurement's high-pass over the raw samples added since it last ran, into its ring. Only the hum
    /// measurement (once per window length) reads it, so it runs there, in one tight loop, instead of per sample:
    /// the same samples in the same order, so the same values.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private void CatchUpHighPass()
    {
        int pending = _pendingHighPass;
        int slot = _position - pending;
        if (slot < 0)
        {
            slot += _window;
        }

        for (int k = 0; k < pending; k++)
        {
            float highPassed = (float)_highPass.ProcessDouble(_raw[slot]);
            _highPassed[slot] = highPassed;
            _highPassed[slot + _window] = highPassed;
            slot = slot + 1 == _window ? 0 : slot + 1;
        }

        _pendingHighPass = 0;
    }

    /// <summary>Judges the last window (the last window-length samples added; fewer at the start).</summary>
    public SignalQuality Evaluate()
    {
        long firstIndex = _count - _window;
        var quality = SignalQuality.None;
        var raw = new ReadOnlySpan<float>(_raw, _position, _window);
        if (_lastSaturated >= firstIndex && IsBeyondTheWindowsSignal(raw))
        {
            quality |= SignalQuality.Railed;
        }

        if (_lastFlat >= firstIndex)
        {
            quality |= SignalQuality.Flat;
        }

        if (_lastNonFinite >= firstIndex)
        {
            quality |= SignalQuality.NonFinite;
        }

        // One pass for the window's sum, which the pile-up and the spike rules both need.
        double sum = SumAndSquares(raw).Sum;

        quality |= IsFullScaleBelieved ? JudgeFullScale(raw) : JudgePileUp(raw, sum);
        quality |= JudgeSpikes(raw, sum);

        if (--_hopsUntilHum <= 0)
        {
            _hopsUntilHum = _humEveryHops;
            CatchUpHighPass();
            _humVerdict = JudgeHum(new ReadOnlySpan<float>(_highPassed, _position, _window), quality);
        }

        return quality | _humVerdict;
    }

    /// <summary>
    /// Whether a sample of the window at or beyond SaturationMillivolts (the window holds one) lies outside the window's
    /// signal: more than <see cref="s_beyondSignalRms"/> RMS from the mean of the samples within ±SaturationMillivolts, or
    /// fewer than two samples lie within (nothing to measure the signal by). Runs only on windows holding such a sample.
    /// </summary>
    private bool IsBeyondTheWindowsSignal(ReadOnlySpan<float> raw)
    {
        float limit = _saturation;
        int inside = 0;
        double sum = 0;
        double squares = 0;
        foreach (float x in raw)
        {
            if (Math.Abs(x) < limit)
            {
                inside++;
                sum += x;
                squares += (double)x * x;
            }
        }

        if (inside < 2)
        {
            return true;
        }

        double mean = sum / inside;
        double reach = s_beyondSignalRms * Math.Sqrt(Math.Max(0, (squares / inside) - (mean * mean)));
        foreach (float x in raw)
        {
            if (Math.Abs(x) >= limit && Math.Abs(x - mean) > reach)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Forgets every sample, the usual hum level and all verdicts.</summary>
    public void Reset()
    {
        Array.Clear(_raw);
        Array.Clear(_highPassed);
        _highPass.Reset();
        _usualHum.Reset();
        _position = 0;
        _count = 0;
        _lastSaturated = _lastFlat = _lastNonFinite = Never;
        _previous = float.NaN;
        _held = 0;
        _flatRunLength = 0;
        Array.Clear(_recentSteps);
        Array.Fill(_recentCodes, float.NaN);
        _stepSlot = 0;
        _dithering = false;
        _quantum = float.NaN;
        QuantumMillivolts = double.NaN;
        _hopsUntilHum = 0;
        _humVerdict = SignalQuality.None;
        Array.Clear(_spikesPerHop);
        _highest = float.NegativeInfinity;
        _lowest = float.PositiveInfinity;
        _smallestStep = float.PositiveInfinity;
        _inferredHigh = float.NaN;
        _inferredLow = float.NaN;
        _spikeSlot = 0;
        _dominantRun = 0;
        _spikeTotal = 0;
        Array.Clear(_clippedPerWindow);
        Array.Clear(_firstPerWindow);
        Array.Clear(_secondPerWindow);
        Array.Clear(_triplesPerWindow);
        _pooledWindows = 0;
        _clippedSlot = 0;
        _pendingHighPass = 0;
        _clippedTotal = 0;
        HumMillivolts = 0;
        HumFraction = 0;
        MainsHz = double.NaN;
    }

    /// <summary>
    /// Records a change from <paramref name="from"/> to <paramref name="to"/> and tells whether the channel dithers:
    /// it returned to a value it held in the last <see cref="DitherChanges"/> holds (a quantised signal revisits its
    /// codes, an unquantised one never repeats a value exactly), and the last changes were steps of one quantum (at
    /// most FlatDitherStepMillivolts; at least two of them one quantum, the others two, as when white noise jumps from
    /// one neighbour to the other). That is rest noise below one ADC step that still moves the code now and then. A
    /// stuck code, a disconnected amplifier's constant output or a floating input never does that; two values far
    /// apart are a switching fault, not a quantum.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private bool IsDither(float from, float to)
    {
        _recentSteps[_stepSlot] = Math.Abs(to - from);
        _recentCodes[_stepSlot] = from;
        _stepSlot = _stepSlot + 1 == _recentSteps.Length ? 0 : _stepSlot + 1;
        bool revisited = false;
        foreach (float code in _recentCodes)
        {
            revisited |= Math.Abs(code - to) <= _flatTolerance;
        }

        if (!revisited)
        {
            return false;
        }

        float quantum = float.PositiveInfinity;
        foreach (float step in _recentSteps)
        {
            quantum = Math.Min(quantum, step);
        }

        if (!(quantum > 0))
        {
            return false;
        }

        int single = 0;
        foreach (float step in _recentSteps)
        {
            float steps = step / quantum;
            if (!(step <= _ditherStep) || steps > 2 + QuantumTolerance || Math.Abs(steps - MathF.Round(steps)) > QuantumTolerance)
            {
                return false;
            }

            single += steps <= 1 + QuantumTolerance ? 1 : 0;
        }

        _quantum = single >= 2 ? quantum : float.NaN;
        return single >= 2;
    }

    [MethodImpl(HotPath.Compiled)]
    private SignalQuality JudgeFullScale(ReadOnlySpan<float> raw)
    {
        double highEdge = _high - _margin;
        double lowEdge = _low + _margin;

        // x ≥ highEdge (x widened to double) exactly when x ≥ the smallest float not below highEdge; likewise below.
        float high = (float)highEdge;
        high = high < highEdge ? MathF.BitIncrement(high) : high;
        float low = (float)lowEdge;
        low = low > lowEdge ? MathF.BitDecrement(low) : low;

        // Half-way from the middle of the range to either rail: a signal that reaches that far may clip soon.
        float nearHigh = (float)((0.75 * _high) + (0.25 * _low));
        float nearLow = (float)((0.25 * _high) + (0.75 * _low));
        int atHigh = 0;
        int atLow = 0;
        int near = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Compares give −1 per matching lane: subtracting counts them, 8 or 16 at a time.
            var highV = new Vector<float>(high);
            var lowV = new Vector<float>(low);
            var nearHighV = new Vector<float>(nearHigh);
            var nearLowV = new Vector<float>(nearLow);
            var highCount = Vector<int>.Zero;
            var lowCount = Vector<int>.Zero;
            var nearCount = Vector<int>.Zero;
            var xv = MemoryMarshal.Cast<float, Vector<float>>(raw);
            foreach (var v in xv)
            {
                highCount -= Vector.GreaterThanOrEqual(v, highV);
                lowCount -= Vector.LessThanOrEqual(v, lowV);
                nearCount -= Vector.GreaterThanOrEqual(v, nearHighV) | Vector.LessThanOrEqual(v, nearLowV);
            }

            atHigh = Vector.Sum(highCount);
            atLow = Vector.Sum(lowCount);
            near = Vector.Sum(nearCount);
            i = xv.Length * Vector<float>.Count;
        }

        for (; i < raw.Length; i++)
        {
            atHigh += raw[i] >= high ? 1 : 0;
            atLow += raw[i] <= low ? 1 : 0;
            near += raw[i] >= nearHigh || raw[i] <= nearLow ? 1 : 0;
        }

        return Verdict(raw, atHigh + atLow, Math.Max(atHigh, atLow), highEdge, lowEdge, near > 0);
    }

    /// <summary>
    /// The clipping verdict of a window with <paramref name="clipped"/> samples at the rails (the most at one rail:
    /// <paramref name="railed"/>); a sample is unclipped strictly between <paramref name="lowEdge"/> and <paramref name="highEdge"/>.
    /// <paramref name="nearRails"/>: a sample reached half-way from the middle of the range to a rail (or, full scale
    /// unknown, any sample piled up at an extreme).
    /// </summary>
    private SignalQuality Verdict(ReadOnlySpan<float> raw, int clipped, int railed, double highEdge, double lowEdge, bool nearRails)
    {
        int slot = _clippedSlot;
        _clippedTotal += clipped - _clippedPerWindow[slot];
        _clippedPerWindow[slot] = clipped;
        _clippedSlot = slot + 1 == _clippedPerWindow.Length ? 0 : slot + 1;
        if (clipped < _clippedCount)
        {
            // Before and between a contraction's clipped windows lie unclipped ones of the same signal: they join the pooled
            // evidence when the signal came half-way to the rails or the last second clipped (so the first clipped windows
            // of a contraction already have a second of evidence, and nothing is computed at rest).
            bool pooled = nearRails || _clippedTotal > 0;
            var (f, q, n, _) = pooled ? UnclippedRunMoments(raw, highEdge, lowEdge) : default;
            _pooledWindows = pooled ? _pooledWindows + 1 : 0;
            _firstPerWindow[slot] = f;
            _secondPerWindow[slot] = q;
            _triplesPerWindow[slot] = n;
            return railed >= _railedCount ? SignalQuality.Railed : SignalQuality.None;
        }

        var (first, second, triples, variance) = UnclippedRunMoments(raw, highEdge, lowEdge);
        _pooledWindows++;
        _firstPerWindow[slot] = first;
        _secondPerWindow[slot] = second;
        _triplesPerWindow[slot] = triples;
        if (railed >= _railedCount)
        {
            return SignalQuality.Clipped | SignalQuality.Railed;
        }

        // Mains dominates both its own measurement and this window: a floating input's pick-up. A measurement taken
        // during a strong contraction holds that contraction's power at the mains lines, not a hum, and says nothing
        // about the quieter tail windows after it.
        if (HumFraction >= _humDominance && !(HumMillivolts * HumMillivolts < _humDominance * variance))
        {
            return SignalQuality.Clipped;
        }

        double atRails = _clippedTotal / (double)(_window * _clippedPerWindow.Length);
        bool windowBandLimited = 2 * triples >= raw.Length && first > 0 && second <= MaximumDifferenceRatio * first;
        var pooledEvidence = LastSecondBandLimit();
        if (atRails <= _saturatedMaximumFraction && (windowBandLimited || pooledEvidence == Evidence.BandLimited))
        {
            return SignalQuality.Saturated;
        }

        if (atRails <= _overdrivenMaximumFraction && pooledEvidence != Evidence.Against)
        {
            return SignalQuality.Clipped | SignalQuality.Overdriven;
        }

        // Saturated or overdriven but for the band limit, which this rate cannot show: the extractor decides from the rise it saw.
        // Above that rate the test resolves the band and says broadband: the extractor decides from how long the activation it continues had lasted.
        return atRails > _overdrivenMaximumFraction ? SignalQuality.Clipped
            : _bandUnresolvable ? SignalQuality.Clipped | SignalQuality.BandUnresolved
            : SignalQuality.Clipped | SignalQuality.BroadbandRuns;
    }

    /// <summary>
    /// Whether the unclipped runs of the last second's windows (those near the rails or since one clipped), pooled, are band-limited beyond chance: their
    /// difference ratio (as in <see cref="UnclippedRunMoments"/>) lies <see cref="PooledRatioSigmas"/> standard deviations of
    /// independent samples (<see cref="IndependentRatioSpread"/>/√n) below the 3 of independent samples, and at most
    /// <see cref="MaximumPooledRatio"/>. n counts distinct triples: the windows overlap, so each sample is pooled about
    /// window/hop times. One window of a 500-Hz recording holds only 125 samples, too few to tell EMG whose power reaches
    /// fs/4 (window ratio 2.0–2.5) from noise (3 ± 0.3); a second of them is enough, and so is a second of a contraction
    /// driven so far beyond full scale that its windows' own runs no longer cover half of them.
    /// </summary>
    private Evidence LastSecondBandLimit()
    {
        double first = 0, second = 0, triples = 0;
        for (int k = 0; k < _firstPerWindow.Length; k++)
        {
            first += _firstPerWindow[k];
            second += _secondPerWindow[k];
            triples += _triplesPerWindow[k];
        }

        if (!(first > 0))
        {
            return Evidence.Against;
        }

        double distinct = triples * _hop / _window;
        double bound = Math.Min(MaximumPooledRatio, 3 - (PooledRatioSigmas * IndependentRatioSpread / Math.Sqrt(distinct)));
        if (distinct >= MinimumPooledTriples && second <= bound * first)
        {
            return Evidence.BandLimited;
        }

        // The first second after the signal neared the rails: too little pooled yet for the bound, but not against a
        // contraction while the ratio so far stays within MaximumPooledRatio (broadband noise pools to 3 within windows).
        return _pooledWindows < _clippedPerWindow.Length && second <= MaximumPooledRatio * first ? Evidence.Incomplete : Evidence.Against;
    }

    /// <summary>What the last second's pooled unclipped runs say (<see cref="LastSecondBandLimit"/>).</summary>
    private enum Evidence
    {
        /// <summary>Not band-limited beyond chance, or nothing to judge.</summary>
        Against,

        /// <summary>Less than a second pooled, and band-limited so far: enough to carry on an activation, not to start one.</summary>
        Incomplete,

        /// <summary>Band-limited beyond chance.</summary>
        BandLimited,
    }

    /// <summary>
    /// The evidence that a clipped window is a contraction strong enough to saturate the front end rather than a signal
    /// that is not muscle. Surface EMG is close to Gaussian, so at RMS σ a ±FS front end clips about 2Q(FS/σ) of the
    /// samples, in bursts on the envelope's peaks; between them the signal is band-limited (its dominant energy lies
    /// at 50–150 Hz and little is above 250 Hz, De Luca 1997). <see cref="SignalQuality.Saturated"/> needs three kinds of
    /// evidence to agree: the rails hold at most SaturatedMaximumFraction of the samples of the last second's windows
    /// (2Q(1): RMS up to full scale; a square wave, a stuck input or noise far beyond full scale sit at the rails most of
    /// the time); the last measured mains hum holds less than HumDominanceFraction of this window's power (a floating
    /// input's clipped pick-up; the ratio to this window, not the measurement's own fraction, because a steady hum that
    /// dominated the rest before a contraction says nothing about the contraction); and the unclipped stretches are
    /// band-limited — in this window, or pooled over the last second's clipped windows (<see cref="LastSecondBandLimit"/>).
    /// That is measured on runs of unclipped samples as r = mean (second difference)² / mean (first difference)²:
    /// independent samples — broadband noise, whatever their distribution and however clipped — give exactly 3 (6σ²
    /// over 2σ²), a line at f gives 4·sin²(πf/fs), so a signal whose power lies below fs/4 gives at most 2. In one window
    /// the runs must cover half of it (independent samples clipped that often leave only short runs) and r ≤ 2.25. Both
    /// moments come from the same unclipped stretches, so the truncation at the rails that shrinks their variance
    /// cancels. Beyond SaturatedMaximumFraction (up to OverdrivenMaximumFraction) the pooled evidence makes the window
    /// <see cref="SignalQuality.Overdriven"/> (still clipped). Returns the two moments' sums, the number of triples, and
    /// the window's variance.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private static (double First, double Second, int Triples, double Variance) UnclippedRunMoments(ReadOnlySpan<float> raw, double highEdge, double lowEdge)
    {
        double first = 0;
        double second = 0;
        double sum = 0;
        double squares = 0;
        int triples = 0;
        int inside = 0;
        float x1 = 0, x2 = 0;
        foreach (float x in raw)
        {
            sum += x;
            squares += (double)x * x;
            if (x < highEdge && x > lowEdge)
            {
                if (++inside >= 3)
                {
                    double d1 = x - x1;
                    double d2 = d1 - (x1 - x2);
                    first += d1 * d1;
                    second += d2 * d2;
                    triples++;
                }

                x2 = x1;
                x1 = x;
            }
            else
            {
                inside = 0;
            }
        }

        double mean = sum / raw.Length;
        return (first, second, triples, (squares / raw.Length) - (mean * mean));
    }

    /// <summary>
    /// Without a known full scale: a saturating ADC repeats its extreme code, so the window's largest (or smallest)
    /// value occurs far more often than the next value inward — unlike any unclipped signal, whose tails thin out —
    /// and it is the channel's extreme so far, visited several times (a held sample-and-hold value is neither). A rail
    /// so found is held (<see cref="_inferredHigh"/>, <see cref="_inferredLow"/>) while no sample exceeds it: every later
    /// window's samples at it are at the rail, pile-up or not (a channel pinned there for a whole window has its mean at
    /// the rail and one visit).
    /// </summary>
    private SignalQuality JudgePileUp(ReadOnlySpan<float> raw, double sum)
    {
        // The two largest and two smallest distinct values and how often each occurs: vector passes for the extremes,
        // then for the next values inward and the four counts (the same values as one branchy pass, several times faster).
        float top = Max(raw, float.PositiveInfinity);
        float bottom = Min(raw, float.NegativeInfinity);
        float nextTop = Max(raw, top);
        float nextBottom = Min(raw, bottom);
        int topCount = Count(raw, top), nextTopCount = Count(raw, nextTop);
        int bottomCount = Count(raw, bottom), nextBottomCount = Count(raw, nextBottom);

        double mean = sum / raw.Length;

        // A held rail that something exceeded was not the rail (an ADC reports nothing beyond it): inferred again.
        _inferredHigh = _inferredHigh == _highest ? _inferredHigh : float.NaN;
        _inferredLow = _inferredLow == _lowest ? _inferredLow : float.NaN;
        if (!(top > bottom) && !(top == _inferredHigh) && !(bottom == _inferredLow))
        {
            return SignalQuality.None;
        }

        int clipped = 0;
        int railed = 0;
        double highEdge = double.PositiveInfinity;
        double lowEdge = double.NegativeInfinity;
        if (top > bottom && top == _highest && topCount >= _pileUpRatio * nextTopCount && top - mean >= _pileUpMinimum && Visits(raw, top) >= PileUpVisits)
        {
            _inferredHigh = top;
        }

        if (top > bottom && bottom == _lowest && bottomCount >= _pileUpRatio * nextBottomCount && mean - bottom >= _pileUpMinimum && Visits(raw, bottom) >= PileUpVisits)
        {
            _inferredLow = bottom;
        }

        if (top == _inferredHigh)
        {
            clipped += topCount;
            railed = topCount;
            highEdge = top;
        }

        // (A constant window's one value is counted at one rail only.)
        if (bottom == _inferredLow && !(bottom == top && top == _inferredHigh))
        {
            clipped += bottomCount;
            railed = Math.Max(railed, bottomCount);
            lowEdge = bottom;
        }

        return Verdict(raw, clipped, railed, highEdge, lowEdge, clipped > 0);
    }

    /// <summary>The largest value below <paramref name="below"/> (−∞ when there is none).</summary>
    private static float Max(ReadOnlySpan<float> x, float below) => LargestBelow(x, 1, below);

    /// <summary>The smallest value above <paramref name="above"/> (+∞ when there is none): the largest of the negated values, negated (exact).</summary>
    private static float Min(ReadOnlySpan<float> x, float above) => -LargestBelow(x, -1, -above);

    /// <summary>The largest of <paramref name="sign"/> (±1) × x below <paramref name="below"/>, −∞ when there is none.</summary>
    private static float LargestBelow(ReadOnlySpan<float> x, float sign, float below)
    {
        float best = float.NegativeInfinity;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<float>(below);
            var signs = new Vector<float>(sign);
            var lowest = new Vector<float>(float.NegativeInfinity);
            var acc = lowest;
            foreach (var v in MemoryMarshal.Cast<float, Vector<float>>(x))
            {
                var signed = v * signs;
                acc = Vector.Max(acc, Vector.ConditionalSelect(Vector.LessThan(signed, limit), signed, lowest));
            }

            for (int lane = 0; lane < Vector<float>.Count; lane++)
            {
                best = Math.Max(best, acc[lane]);
            }

            i = x.Length - (x.Length % Vector<float>.Count);
        }

        for (; i < x.Length; i++)
        {
            float signed = sign * x[i];
            best = signed < below ? Math.Max(best, signed) : best;
        }

        return best;
    }

    /// <summary>How many samples equal <paramref name="value"/> (none for an infinite one: samples are finite).</summary>
    private static int Count(ReadOnlySpan<float> x, float value)
    {
        if (!float.IsFinite(value))
        {
            return 0;
        }

        int count = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var target = new Vector<float>(value);
            var counts = Vector<int>.Zero;
            foreach (var v in MemoryMarshal.Cast<float, Vector<float>>(x))
            {
                counts -= Vector.Equals(v, target);
            }

            count = Vector.Sum(counts);
            i = x.Length - (x.Length % Vector<float>.Count);
        }

        for (; i < x.Length; i++)
        {
            count += x[i] == value ? 1 : 0;
        }

        return count;
    }

    private static int Visits(ReadOnlySpan<float> raw, float value)
    {
        int visits = 0;
        bool inside = false;
        foreach (float x in raw)
        {
            bool at = x == value;
            visits += at && !inside ? 1 : 0;
            inside = at;
        }

        return visits;
    }

    /// <summary>
    /// Electrode pops: short runs (at most SpikeMaxSeconds) far above the window's mean absolute deviation whose
    /// flanks are quiet. Muscle activity is never isolated like that: its large peaks sit among other peaks. Each
    /// spike is counted once, in the hop it starts in (one flank before the window's end), and the train is judged
    /// over the last SpikeTrainSeconds, so pops slower than one per window still make a train.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private SignalQuality JudgeSpikes(ReadOnlySpan<float> raw, double sum)
    {
        float mean = (float)(sum / raw.Length);
        double deviation = AbsoluteDeviationSum(raw, mean);

        float threshold = (float)Math.Max(_spikeMinimum, _spikeSpreadRatio * deviation / raw.Length);
        float quiet = threshold / 2;
        int flank = _spikeFlankSamples;
        int newFrom = Math.Max(flank, raw.Length - _hop - flank);
        int newTo = raw.Length - flank;
        int spikes = 0;
        int n = newFrom;

        // A run that began before newFrom was counted by an earlier hop (or is too long to be a spike).
        while (n < newTo && Math.Abs(raw[n] - mean) >= threshold)
        {
            n++;
        }

        while (n < newTo)
        {
            if (Math.Abs(raw[n] - mean) < threshold)
            {
                n++;
                continue;
            }

            int start = n;
            while (n < raw.Length && Math.Abs(raw[n] - mean) >= threshold)
            {
                n++;
            }

            if (n - start <= _spikeMaxSamples && IsIsolated(raw, start, n, flank, mean, quiet))
            {
                spikes++;
            }
        }

        _spikeTotal += spikes - _spikesPerHop[_spikeSlot];
        _spikesPerHop[_spikeSlot] = spikes;
        _spikeSlot = _spikeSlot + 1 == _spikesPerHop.Length ? 0 : _spikeSlot + 1;
        return _spikeTotal >= _spikeTrainCount ? SignalQuality.SpikeTrain : SignalQuality.None;
    }

    /// <summary>
    /// True when the flanks of the run [start, end) stay below <paramref name="quiet"/> and hold no opposite phase
    /// of a tenth of the run's peak: a motor-unit potential is bi- or triphasic (its phases nearly cancel), a pop is not.
    /// </summary>
    private static bool IsIsolated(ReadOnlySpan<float> raw, int start, int end, int flank, float mean, float quiet)
    {
        float peak = 0;
        for (int i = start; i < end; i++)
        {
            float d = raw[i] - mean;
            peak = Math.Abs(d) > Math.Abs(peak) ? d : peak;
        }

        float opposite = -OppositePhaseFraction * peak;
        int from = Math.Max(0, start - flank);
        int to = Math.Min(raw.Length, end + flank);
        for (int i = from; i < to; i++)
        {
            if (i == start)
            {
                i = end - 1;
                continue;
            }

            float d = raw[i] - mean;
            if (Math.Abs(d) >= quiet || (peak > 0 ? d <= opposite : d >= opposite))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(HotPath.Compiled)]
    private SignalQuality JudgeHum(ReadOnlySpan<float> highPassed, SignalQuality others)
    {
        var (sum, squares) = SumAndSquares(highPassed);
        double mean = sum / highPassed.Length;
        double power = (squares / highPassed.Length) - (mean * mean);
        double best = 0;
        int bestFamily = 0;
        for (int f = 0; f < _lines.Length; f++)
        {
            double family = 0;
            for (int h = 0; h < _lines[f]; h++)
            {
                double re = Dot(highPassed, _cosines[(f * Harmonics) + h]);
                double im = Dot(highPassed, _sines[(f * Harmonics) + h]);
                family += ((re * re) + (im * im)) * _lineScale;
            }

            if (family > best)
            {
                best = family;
                bestFamily = f;
            }
        }

        HumMillivolts = Math.Sqrt(best);
        HumFraction = power > 0 ? Math.Min(1, best / power) : 0;
        MainsHz = s_mainsHz[bestFamily];
        // Mains hum lasts; a few regularly firing motor units can put one window's power on the same lines.
        _dominantRun = HumFraction >= _humDominance ? _dominantRun + 1 : 0;
        bool dominant = _dominantRun >= HumPersistence;
        var verdict = SignalQuality.None;
        if (dominant && ((others & (SignalQuality.Clipped | SignalQuality.Railed | SignalQuality.Saturated)) != 0 || HumMillivolts >= _leadOffHum))
        {
            verdict |= SignalQuality.LeadOff;
        }

        double usual = _usualHum.Level;
        if (dominant && HumMillivolts >= _humBurstMinimum && !double.IsNaN(usual) && HumMillivolts >= _humBurstRatio * Math.Max(usual, _usualHum.MinimumLevel))
        {
            verdict |= SignalQuality.HumBurst;
        }

        // The usual level learns from connected, unclipped windows only; a burst still counts (slowly), so a hum that stays becomes usual.
        const SignalQuality Disconnected = SignalQuality.Clipped | SignalQuality.Saturated | SignalQuality.Railed | SignalQuality.Flat | SignalQuality.NonFinite | SignalQuality.LeadOff;
        if (((others | verdict) & Disconnected) == 0)
        {
            _usualHum.Update(HumMillivolts);
        }

        return verdict;
    }

    // The window sums below run once per hop over the window: vectorised, with the float lanes widened to double
    // (partial sums: the rounding differs from a serial sum in the last bits only, far below any threshold's resolution).

    [MethodImpl(HotPath.Compiled)]
    private static double AbsoluteDeviationSum(ReadOnlySpan<float> x, float mean)
    {
        int i = 0;
        var low = Vector<double>.Zero;
        var high = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var meanV = new Vector<float>(mean);
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            foreach (var v in xv)
            {
                Vector.Widen(Vector.Abs(v - meanV), out var a, out var b);
                low += a;
                high += b;
            }

            i = xv.Length * Vector<float>.Count;
        }

        double total = Vector.Sum(low + high);
        for (; i < x.Length; i++)
        {
            total += Math.Abs(x[i] - mean);
        }

        return total;
    }

    [MethodImpl(HotPath.Compiled)]
    private static (double Sum, double Squares) SumAndSquares(ReadOnlySpan<float> x)
    {
        int i = 0;
        var sumLow = Vector<double>.Zero;
        var sumHigh = Vector<double>.Zero;
        var squaresLow = Vector<double>.Zero;
        var squaresHigh = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            foreach (var v in xv)
            {
                Vector.Widen(v, out var a, out var b);
                sumLow += a;
                sumHigh += b;
                squaresLow += a * a;
                squaresHigh += b * b;
            }

            i = xv.Length * Vector<float>.Count;
        }

        double sum = Vector.Sum(sumLow + sumHigh);
        double squares = Vector.Sum(squaresLow + squaresHigh);
        for (; i < x.Length; i++)
        {
            sum += x[i];
            squares += (double)x[i] * x[i];
        }

        return (sum, squares);
    }

    [MethodImpl(HotPath.Compiled)]
    private static double Dot(ReadOnlySpan<float> x, float[] basis)
    {
        var b = new ReadOnlySpan<float>(basis, 0, x.Length);
        int i = 0;
        var accumulator = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var bv = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int v = 0; v < xv.Length; v++)
            {
                accumulator += xv[v] * bv[v];
            }

            i = xv.Length * Vector<float>.Count;
        }

        double total = Vector.Sum(accumulator);
        for (; i < x.Length; i++)
        {
            total += x[i] * b[i];
        }

        return total;
    }
}
