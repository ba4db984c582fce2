using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// Causal removal of mains interference (hum) from one EMG channel: detects a 50 or 60 Hz line, tracks its
/// frequency, and while hum is present subtracts an adaptive model of the fundamental and its harmonics up to
/// the 5th below Nyquist. Without hum the signal passes bit for bit unchanged, so EMG power near 50/60 Hz
/// survives (SENIAM/ISEK advise against notch filtering surface EMG; Konrad, <i>The ABC of EMG</i>, 2005).
/// </summary>
/// <remarks>
/// <para>
/// <b>Why not a notch.</b> A fixed second-order notch 0.5 Hz off the drifting mains loses most of its effect
/// (fidelity r² 0.98 → 0.65, Mewett et al., <i>Med Biol Eng Comput</i> 42 (2004)); a notch also takes EMG power
/// whether hum is there or not. Mewett et al. 2001 found regression-subtraction of fitted sines best under
/// stationary conditions; this is its adaptive, streaming form.
/// </para>
/// <para>
/// <b>Detection</b> (always on unless <see cref="MainsFrequency.Off"/>). The input is demodulated at each
/// nominal candidate (50 and/or 60 Hz) and summed over 100 ms blocks: a complex baseband sample every 0.1 s.
/// A 100 ms boxcar has its nulls at multiples of 10 Hz, so the mixing image (−2f₀), every other harmonic and
/// the other mains frequency fall on nulls and cannot pose as a line. Every 0.5 s the last 2 s (20 blocks)
/// are analysed: the lag-1 product gives the offset from nominal, a coherent sum at that offset gives the line
/// power, and its ratio to the rest of the baseband power (the broadband EMG or noise within ±5 Hz) is the
/// detection statistic. Hum engages at a ratio ≥ <see cref="EngageRatio"/> on three evaluations in a row and
/// releases below <see cref="ReleaseRatio"/> on four (2 s). For Gaussian noise the ratio is about Exp(1)/20, so
/// a false engagement needs a 40-fold excursion three times in a row.
/// </para>
/// <para>
/// <b>Removal</b> (only while engaged). An LMS adaptive sinusoid canceller (Widrow et al., "Adaptive noise
/// cancelling", <i>Proc IEEE</i> 63 (1975) 1692) with one cosine/sine weight pair per harmonic. The references are
/// powers of one recursive oscillator at the tracked frequency (no sine call per sample), so the harmonics stay
/// phase-locked to the fundamental. Weight time constant τ (default 0.25 s) ⇒ each harmonic acts as a notch about
/// 1/(πτ) ≈ 1.3 Hz wide, centred on the hum and present only while hum is. The frequency is tracked once per
/// block by a type-2 frequency-locked loop on the rotation of the fundamental's weight (range ±1.5 Hz around
/// nominal). All weights adapt, but a harmonic above the fundamental is subtracted only while its weight is
/// steady (a line, not narrow-band EMG), so no EMG is taken at harmonics the hum does not have.
/// </para>
/// <para>
/// <b>Under a strong contraction</b> (broadband, 60–20 000× the usual input power) the line cannot be measured, and
/// the mains does not change because a muscle contracts, so the canceller holds its model: each block's adaptation is
/// scaled to the step its own power called for, the usual power cannot rise fast enough to restore the step within
/// seconds, the frequency loop holds the last measured frequency, the harmonic gates hold until the loop has re-acquired
/// the line (<see cref="IsReacquiring"/>), and no release is decided on a window that held such a block. Once the blocks
/// are no longer loud, the weights adapt five times faster for up to a second, so the line's slipped phase and any
/// frequency error are caught within a block or two. All of it depends on the input only, never on the output or on
/// detected activity (which would feed the residual back).
/// </para>
/// <para>
/// Written here rather than taken from a library: NWaves has fixed notches and a generic LMS filter, but no
/// reference-generating, frequency-tracking harmonic canceller, and its filters allocate per block.
/// </para>
/// </remarks>
public sealed class MainsInterferenceCanceller : IStreamingFilter
{
    /// <summary>
    /// Block pairs <see cref="ResidualHumRms"/> averages over (0.3 s, about the 250-ms window the envelope is judged on):
    /// one pair's value of broadband input is zero on average but not small, and only its positive part is hum.
    /// </summary>
    public const int ResidualBlocks = 3;

    /// <summary>Highest harmonic removed (when below Nyquist).</summary>
    public const int MaxHarmonic = 5;

    /// <summary>Length of one detection block, s (baseband rate 10 Hz; boxcar nulls at multiples of 10 Hz).</summary>
    public const double BlockSeconds = 0.1;

    /// <summary>Blocks in the detection window (2 s: 0.5 Hz resolution of the coherent line estimate).</summary>
    public const int WindowBlocks = 20;

    /// <summary>Blocks between two detection decisions (0.5 s).</summary>
    public const int EvaluationBlocks = 5;

    /// <summary>
    /// Line power over the remaining baseband power at which hum engages (line ≥ twice the broadband power within
    /// ±5 Hz). On real EMG without hum (PLUX biceps and adductor, BioSPPy baseline, 340 s) the ratio peaked at 0.85.
    /// </summary>
    public const double EngageRatio = 2.0;

    /// <summary>Ratio below which hum counts as gone (on <see cref="ReleaseEvaluations"/> decisions in a row).</summary>
    public const double ReleaseRatio = 0.25;

    // The usual input power rises towards louder blocks at this rate per 100-ms block (time constant ≈ 30 s).
    private const double UsualPowerRise = 0.003;

    // ...but by at most this factor per block: a doubling per 5 s (the cramp minimum). The usual power is a rest level
    // (noise plus hum) that must follow a real change of the rest within tens of seconds, not a contraction: a linear
    // approach towards a block 100–10 000 times louder would raise it by 30–3 000 % of itself per block, so within a
    // second the step was back near full and the weights wandered with the EMG (measured: a 45-µV hum estimate under a
    // 4.5-s contraction at 100× a 3-µV floor fell to half). Towards a level 100 times higher the cap takes 33 s, about
    // the time constant's approach.
    private static readonly double UsualPowerMaxRisePerBlock = Math.Pow(2, BlockSeconds / 5.0);

    /// <summary>The line must also have fallen below this fraction of its power while clearly measured before hum counts as gone.</summary>
    public const double ReleaseLineFraction = 0.25;

    /// <summary>Decisions in a row at or above <see cref="EngageRatio"/> to engage (1 s after the first).</summary>
    public const int EngageEvaluations = 3;

    /// <summary>Decisions in a row below <see cref="ReleaseRatio"/> to release (2 s).</summary>
    public const int ReleaseEvaluations = 4;

    /// <summary>How far from nominal the tracked frequency may go, Hz (mains stays within ±0.5 Hz; EN 50160 allows ±1 %).</summary>
    public const double TrackingRangeHz = 1.5;

    /// <summary>Default time constant of the canceller weights, s.</summary>
    public const double DefaultTimeConstantSeconds = 0.25;

    // Fraction of the measured frequency error corrected per block. The weights lag by τ ≈ 2.5 blocks, so a
    // larger gain overshoots; 0.25 settles a 1 Hz error in about 1 s.
    private const double FrequencyLoopGain = 0.25;

    // Integral gain on the drift rate (Hz per block): makes the loop type 2, so a steadily drifting mains is
    // followed without a lasting frequency error (a type-1 loop lags by rate·block/gain).
    private const double DriftLoopGain = 0.02;

    // Blocks after engaging before the frequency loop trusts the fundamental weight's rotation.
    private const int FrequencyLoopSettleBlocks = 3;

    // Harmonic gating: per block, exponential averages (≈ 2 s) of each harmonic weight and of its squared
    // magnitude. A real harmonic line holds its weight steady (coherence |mean|²/mean|·|² → 1); EMG alone gives a
    // weight that wanders with the τ-correlated narrow-band EMG (coherence ≈ 0.1–0.3). Only coherent harmonics are
    // subtracted, so no EMG is taken at harmonics the hum does not have.
    private const double CoherenceSmoothing = 0.05;
    private const double HarmonicOnCoherence = 0.6;
    private const double HarmonicOffCoherence = 0.35;
    private const int HarmonicGateSettleBlocks = 5;

    // A block whose power is more than twice the usual (reliability < 0.5: most of the input is not the rest level) and
    // whose broadband power (the block's power less the modelled hum's) exceeds LineHiddenRatio × the hum's is loud: the
    // weights see little of the line, so the frequency loop coasts through it. (Real biceps EMG at 0.2–4× the power of a
    // 0.3-mV hum is not loud: the line still dominates and must be tracked through it; the contractions that made
    // cramps were 100–800× a 20–47-µV hum.) Until the loop has re-acquired the
    // line after such a stretch (its error below ReacquiredErrorHz), the harmonic gates and their averages hold: a
    // frequency error Δf turns harmonic k by k·Δf, which would read as an incoherent weight and switch a real harmonic
    // off for the seconds its average needs to recover (measured: the 3rd and 5th of a 40-µV hum off for 4–6 s after
    // a 3-s contraction). 0.025 Hz turns the 5th harmonic by a quarter turn over the ≈ 2-s average; it must hold for
    // 0.5 s (two weight time constants, and past the loop's overshoot). The harmonics' phases slipped while the loop
    // coasted, so their averages restart from the present weights (see EndReacquisition).
    private const double CoastingReliability = 0.5;
    private const double LineHiddenRatio = 20;
    private const double ReacquiredErrorHz = 0.025;
    private const int ReacquiredBlocks = 5;

    // While re-acquiring after a loud stretch, and only once its blocks are no longer loud, the weights adapt this many
    // times faster (τ 0.05 s at the default): the line's phase slipped while the loop held its frequency, and at τ the
    // weights took about a second to turn back onto it, the hum left meanwhile (10–60 µV) holding the envelope over the
    // stay level past the 5-s cramp minimum (#112, #954 of the property tests). A short τ is a wide notch (≈ 6 Hz) that
    // follows a line up to ≈ 3 Hz off the tracked frequency with little lag, so the hum leaves the output within a block
    // whatever the frequency error, and the loop, reading the weights' turn, finds the frequency in a few blocks. It takes
    // EMG power near the harmonics only for those blocks, right after a contraction (the rest after it).
    private const double ReacquireStepFactor = 5;

    // ...but never below this many samples of time constant (a stable LMS step for the ten weights).
    private const double MinimumBoostedTimeConstantSamples = 10;

    // Blocks after a loud stretch before the loop trusts the weights' turn while they adapt at the boosted step (the first
    // block after it still ran with the loud block's small step; the weights converge within the next).
    private const int ReacquireSettleBlocks = 2;

    // ...and for at most this many blocks after it (1 s): a mains sweeping faster than the loop's re-acquisition criterion
    // allows (its drift integrator rests while re-acquiring) kept it re-acquiring, and the wide notch on, for many seconds.
    private const int ReacquireBoostBlocks = 10;

    private readonly Candidate[] _candidates;
    private readonly int _blockLength;
    private readonly double _blockScale;
    private readonly double _stepSize;
    private readonly double _reacquireStepFactor;

    // What the removal reads and writes per sample (weights, gates, steps, reference oscillator, step gain, engaged flag)
    // lies in lane _lane of a CancellerLanes, which an EmgChannelFilterBank shares among its channels so that it can run
    // the removal of four channels in one vector (RemoveLanes); a canceller of its own has a lanes object of its own.
    private readonly double[] _laneState;
    private readonly int _laneStride;
    private readonly int _lane;

    // The weights at the start of the current block, so that a block found loud at its end can have its adaptation
    // scaled back (see AdaptToBlockReliability).
    private readonly double[] _blockStartCosWeights = new double[MaxHarmonic];
    private readonly double[] _blockStartSinWeights = new double[MaxHarmonic];

    // The last block's mean demodulated error per harmonic (see ResidualHumRms), and the residual line power it gave.
    private readonly double[] _lastResidualRe = new double[MaxHarmonic];
    private readonly double[] _lastResidualIm = new double[MaxHarmonic];

    // The residual line power of the last ResidualBlocks block pairs (see ResidualHumRms), a ring, and where the next goes.
    private readonly double[] _residualPowers = new double[ResidualBlocks];
    private readonly double[] _residualNoise = new double[ResidualBlocks];
    private int _residualPosition;

    // Demodulation table of one block, interleaved per sample: cos, −sin at 50 Hz, then at 60 Hz (zeros for a
    // frequency not watched). One table and four sums keep the per-sample detection to four multiply-adds.
    private readonly double[] _demodulation;
    private readonly double[] _meanWeightRe = new double[MaxHarmonic];
    private readonly double[] _meanWeightIm = new double[MaxHarmonic];
    private readonly double[] _meanWeightPower = new double[MaxHarmonic];
    private double _coherenceNormaliser;

    private int _sampleInBlock;
    private int _blocksSinceEvaluation;
    private int _blocksSinceEngaged;
    private bool _reacquiring;
    private int _blocksSinceLoud = WindowBlocks;
    private int _reacquiredStreak;
    private Candidate? _locked;
    private Candidate? _pending;
    private int _engageStreak;
    private int _releaseStreak;
    private double _engagedLinePower;
    private double _usualInputPower;
    private double _lastBlockPower;
    private double _stepScale = 1;


    private int _harmonics;
    private double _trackedHz;
    private double _previousPhasorRe;
    private double _previousPhasorIm;
    private double _driftHzPerBlock;

    /// <summary>Creates a canceller for one channel.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="mains">Which mains frequency to look for (default: detect 50 or 60 Hz).</param>
    /// <param name="timeConstantSeconds">Time constant of the adaptive weights, s: longer removes less EMG, shorter follows faster.</param>
    public MainsInterferenceCanceller(double sampleRateHz, MainsFrequency mains = MainsFrequency.Auto, double timeConstantSeconds = DefaultTimeConstantSeconds)
        : this(sampleRateHz, mains, timeConstantSeconds, new CancellerLanes(1), 0)
    {
    }

    /// <summary>A canceller whose per-sample removal state is lane <paramref name="lane"/> of <paramref name="lanes"/> (see <see cref="CancellerLanes"/>).</summary>
    internal MainsInterferenceCanceller(double sampleRateHz, MainsFrequency mains, double timeConstantSeconds, CancellerLanes lanes, int lane)
    {
        ArgumentNullException.ThrowIfNull(lanes);
        ArgumentOutOfRangeException.ThrowIfNegative(lane);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lane, lanes.Channels);
        _laneState = lanes.State;
        _laneStride = lanes.Stride;
        _lane = lane;
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!Enum.IsDefined(mains))
        {
            throw new ArgumentOutOfRangeException(nameof(mains), mains, "Mains must be Auto, Hz50, Hz60 or Off.");
        }

        if (!double.IsFinite(timeConstantSeconds) || timeConstantSeconds < 20 / sampleRateHz)
        {
            throw new ArgumentOutOfRangeException(nameof(timeConstantSeconds), timeConstantSeconds, $"The time constant must be at least 20 samples ({20 / sampleRateHz} s).");
        }

        SampleRateHz = sampleRateHz;
        Mains = mains;
        TimeConstantSeconds = timeConstantSeconds;
        _blockLength = Math.Max(1, (int)Math.Round(BlockSeconds * sampleRateHz));
        _blockScale = 1.0 / _blockLength;

        // Each weight sees a unit-amplitude reference of mean square 1/2: LMS time constant 2/μ samples.
        _stepSize = 2 / (timeConstantSeconds * sampleRateHz);
        _reacquireStepFactor = Math.Max(1, Math.Min(ReacquireStepFactor, timeConstantSeconds * sampleRateHz / MinimumBoostedTimeConstantSamples));

        // Both nominal frequencies are watched even when one is forced: a strong 50 Hz line leaks into the 60 Hz
        // baseband (it aliases to within ±0.5 Hz of 60 Hz when the mains is 0.5 Hz off a boxcar null) and must not
        // engage a 60 Hz canceller; only a permitted candidate that is also the strongest line engages.
        var candidates = new List<Candidate>(2);
        _demodulation = new double[4 * _blockLength];
        if (mains != MainsFrequency.Off)
        {
            foreach (double nominal in (double[])[50, 60])
            {
                if (HarmonicsBelowNyquist(nominal, sampleRateHz) > 0)
                {
                    bool permitted = mains == MainsFrequency.Auto || (mains == MainsFrequency.Hz50) == (nominal == 50);
                    candidates.Add(new Candidate(nominal, permitted, sampleRateHz, _blockLength));
                    int slot = nominal == 50 ? 0 : 2;
                    for (int n = 0; n < _blockLength; n++)
                    {
                        double phase = 2 * Math.PI * nominal * n / sampleRateHz;
                        _demodulation[(4 * n) + slot] = Math.Cos(phase);
                        _demodulation[(4 * n) + slot + 1] = -Math.Sin(phase);
                    }
                }
            }
        }

        _candidates = [.. candidates];
        Reset();
    }

    public double SampleRateHz { get; }

    /// <summary>What this canceller looks for.</summary>
    public MainsFrequency Mains { get; }

    /// <summary>Time constant of the adaptive weights, s.</summary>
    public double TimeConstantSeconds { get; }

    /// <summary>True while hum is detected and being removed.</summary>
    public bool HumPresent => _locked is not null;

    /// <summary>The tracked mains frequency, Hz, while hum is present; 0 otherwise.</summary>
    public double MainsFrequencyHz => _locked is null ? 0 : _trackedHz;

    /// <summary>Harmonics modelled (fundamental included, up to the 5th below Nyquist) while hum is present; 0 otherwise.</summary>
    public int HarmonicCount => _locked is null ? 0 : _harmonics;

    /// <summary>Whether harmonic <paramref name="harmonic"/> (1 = fundamental) is being subtracted: the fundamental always while hum is present, the others when their line is steady.</summary>
    public bool IsHarmonicRemoved(int harmonic) => harmonic >= 1 && harmonic <= _harmonics && Gate(harmonic - 1) != 0;

    /// <summary>
    /// RMS of the hum being removed (the harmonics subtracted), in the signal's unit (mV for EMG); 0 when no hum. Computed
    /// from the current weights, so it costs a few multiplications to read.
    /// </summary>
    public double HumRms => Math.Sqrt(HumPower());

    /// <summary>Mean square of the hum being removed (0 when no hum).</summary>
    private double HumPower()
    {
        if (_locked is null)
        {
            return 0;
        }

        double power = 0;
        for (int k = 0; k < _harmonics; k++)
        {
            power += Gate(k) * ((CosWeight(k) * CosWeight(k)) + (SinWeight(k) * SinWeight(k)));
        }

        return power / 2;
    }

    /// <summary>
    /// True from a block whose broadband power hid the line (more than twice the usual input power, as under a strong
    /// contraction) until the frequency loop has the line again: meanwhile the frequency was extrapolated, and up to
    /// about <see cref="HumRms"/> of hum may be left in the output.
    /// </summary>
    public bool IsReacquiring => _locked is not null && _reacquiring;

    /// <summary>
    /// RMS of the hum the removal leaves in its output (mV for EMG; 0 when no hum is engaged): the part of the model's error
    /// at the harmonics that is coherent from one 0.1-s block to the next (over the last <see cref="ResidualBlocks"/> pairs),
    /// plus the modelled line of any harmonic not subtracted.
    /// </summary>
    /// <remarks>
    /// The model follows the line at τ: what it cannot follow stays in the output as a line within a few hertz of each
    /// harmonic. A second line of the same family a fraction of a hertz away (the recording's own hum plus another source,
    /// drifting independently) makes the sum beat, and hum amplitude-modulated at ~1 Hz (a lead swaying near a cable) is
    /// the same input; after a contraction the model's error decays at τ, and with a line 80× the rest floor 2 % of it is
    /// enough to hold the site active. LMS moves each weight by μ·g·Σ e·reference over a block, so the block's mean
    /// demodulated error e·e^{−jkωt}, whose magnitude is half the residual line's amplitude, is the weights' change over
    /// μ·g·N: read off the weights at the block's end, nothing per sample. Broadband EMG or noise gives it too (mean
    /// square P/N per harmonic, about 2 % of a contraction's power at 1 kHz), but independently in each block, whereas a
    /// line within ±2.5 Hz of the harmonic keeps its phase to within 90° over a block's 0.1 s: the real part of one block's
    /// value times the last one's conjugate, 2·Re(m_b·m̄_{b−1}), is a line's mean square (× cos of its turn per block) and
    /// zero on average for broadband input. The harmonics are summed before anything is clipped (a harmonic of a second
    /// line turns k times as fast as its fundamental and reads low or negative, but carries a tenth of its power or less),
    /// and the sum is averaged over <see cref="ResidualBlocks"/> pairs, then its positive part taken: clipping each harmonic
    /// of each pair left broadband input 0.56·P/N per harmonic, which under a cramp at 3× the floor with the harmonics
    /// inside the muscle's band took a fifth of its power and delayed or lost it at 500 Hz.
    /// </remarks>
    public double ResidualHumRms
    {
        get
        {
            if (_locked is null)
            {
                return 0;
            }

            double sum = 0;
            foreach (double power in _residualPowers)
            {
                sum += power;
            }

            // A harmonic not subtracted leaves its modelled line in the output as it is (mean square (w² + v²)/2), known from
            // the weights without the blocks' noise: a gate that switches off when a beat makes the harmonic's weight wander
            // hands 10–15 µV of hum to the envelope from one block to the next (foreign v09 with 50 µV added), faster than the average follows.
            double unremoved = 0;
            for (int k = 0; k < _harmonics; k++)
            {
                unremoved += (1 - Gate(k)) * ((CosWeight(k) * CosWeight(k)) + (SinWeight(k) * SinWeight(k))) / 2;
            }

            // Only what stands above the average's own spread for broadband input (its standard deviation, a pair's over √R)
            // counts: under a contraction that spread is a few per cent of its power, which is no evidence of hum and would
            // be taken off a weak cramp's.
            double noise = 0;
            foreach (double spread in _residualNoise)
            {
                noise += spread;
            }

            double line = (sum / ResidualBlocks) - (noise / ResidualBlocks / Math.Sqrt(ResidualBlocks));
            return Math.Sqrt(Math.Max(0, line) + unremoved);
        }
    }

    /// <summary>
    /// RMS of a mains fundamental that is detected but not removed (yet): while hum is not engaged, the line the last
    /// detection analysis measured at the strongest permitted candidate, when it stood out of the broadband power around it
    /// by at least <see cref="ReleaseRatio"/> (below that, a noise-level estimate); 0 otherwise, and 0 while engaged. The
    /// envelope still carries this hum: a floor measured on it is that much higher than the muscle's.
    /// </summary>
    public double UndetectedHumRms
    {
        get
        {
            if (_locked is not null)
            {
                return 0;
            }

            Candidate? best = null;
            foreach (var candidate in _candidates)
            {
                if (candidate.Permitted && candidate.Ratio >= ReleaseRatio && (best is null || candidate.Ratio > best.Ratio))
                {
                    best = candidate;
                }
            }

            // A block mean of A·cos(ωt + φ) demodulated at ω is (A/2)·e^{jφ}: the line power is A²/4, the mean square A²/2.
            return best is null ? 0 : Math.Sqrt(2 * best.LinePower);
        }
    }

    /// <summary>The latest detection statistic (line over broadband baseband power) of the nominal frequency given, for diagnosis; NaN if not examined.</summary>
    public double DetectionRatio(double nominalHz)
    {
        foreach (var candidate in _candidates)
        {
            if (candidate.NominalHz == nominalHz)
            {
                return candidate.Ratio;
            }
        }

        return double.NaN;
    }

    /// <summary>Number of harmonics k·f₀ (k ≤ 5) that stay below Nyquist even at the edge of the tracking range.</summary>
    public static int HarmonicsBelowNyquist(double nominalHz, double sampleRateHz)
    {
        int count = 0;
        while (count < MaxHarmonic && (count + 1) * (nominalHz + TrackingRangeHz) < sampleRateHz / 2)
        {
            count++;
        }

        return count;
    }

    /// <inheritdoc/>
    public float Process(float sample) => (float)ProcessDouble(sample);

    /// <summary>Filters one sample in double precision.</summary>
    public double ProcessDouble(double sample)
    {
        Detect(sample);
        return _locked is null ? sample : Remove(sample);
    }

    /// <summary>
    /// The detection half of <see cref="ProcessDouble"/>: takes the sample into the block sums and, at a block's end, the
    /// block's analysis (which may engage or release). The removal (<see cref="RemoveLanes"/>) follows for the same sample.
    /// </summary>
    internal void Detect(double sample)
    {
        if (_candidates.Length == 0)
        {
            return;
        }

        AccumulateLanes<DoubleLanes1, double>(ref _laneState[_lane], (nuint)_laneStride, sample, _demodulation, _sampleInBlock);
        AdvanceBlock();
    }

    /// <summary>Whether <see cref="Detect"/> watches any mains frequency (none below the sample rate that 50 Hz needs).</summary>
    internal bool Watches => _candidates.Length > 0;

    /// <summary>The demodulation table (see <see cref="AccumulateLanes"/>); the same for every canceller of one sample rate.</summary>
    internal double[] DemodulationTable => _demodulation;

    /// <summary>The position of the next sample in the current block.</summary>
    internal int SampleInBlock => _sampleInBlock;

    /// <summary>
    /// The first step of <see cref="Detect"/> for one sample of each lane's channel, all at position
    /// <paramref name="sampleInBlock"/> of their blocks: the four demodulated sums and the block's power. Each lane computes
    /// the scalar expression; <see cref="AdvanceBlock"/> of each channel follows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | HotPath.Compiled)]
    internal static void AccumulateLanes<TLanes, TVector>(ref double state, nuint stride, TVector sample, double[] table, int sampleInBlock)
        where TLanes : struct, IDoubleLanes<TVector>
        where TVector : struct
    {
        int t = 4 * sampleInBlock;
        _ = table[t + 3];
        nuint sum = CancellerLanes.Sum50ReRow * stride;
        for (int j = 0; j < 4; j++)
        {
            nuint row = sum + ((nuint)j * stride);
            TLanes.Store(TLanes.Add(TLanes.Load(ref state, row), TLanes.Multiply(sample, TLanes.Broadcast(table[t + j]))), ref state, row);
        }

        nuint power = CancellerLanes.BlockPowerRow * stride;
        TLanes.Store(TLanes.Add(TLanes.Load(ref state, power), TLanes.Multiply(sample, sample)), ref state, power);
    }

    /// <summary>The second step of <see cref="Detect"/>: the sample counted, and at the block's end its analysis.</summary>
    internal void AdvanceBlock()
    {
        int i = _sampleInBlock;
        if (++i == _blockLength)
        {
            i = 0;
            EndBlock();
        }

        _sampleInBlock = i;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => StreamingBlock.Run(new Step(this), input, output);

    /// <inheritdoc/>
    public void Reset()
    {
        foreach (var candidate in _candidates)
        {
            candidate.Reset();
        }

        _sampleInBlock = 0;
        ClearRows(CancellerLanes.Sum50ReRow, 5);
        _usualInputPower = 0;
        _lastBlockPower = 0;
        _stepScale = 1;
        StepGain = 1;
        _blocksSinceLoud = WindowBlocks;
        _blocksSinceEvaluation = 0;
        _engageStreak = 0;
        _pending = null;
        Release();
    }

    /// <summary>The removal of one engaged channel: <see cref="RemoveLanes"/> on this canceller's lane alone.</summary>
    private double Remove(double sample) =>
        RemoveLanes<DoubleLanes1, double>(ref _laneState[_lane], (nuint)_laneStride, sample);

    /// <summary>
    /// Removes the modelled hum from one sample of each lane's channel and adapts the model, for the lanes engaged
    /// (<see cref="CancellerLanes.EngagedRow"/>); the others pass their sample unchanged and keep their state.
    /// <paramref name="state"/> is the first lane's cell of row 0 of a <see cref="CancellerLanes"/>, rows
    /// <paramref name="stride"/> apart. Each lane computes the scalar expression in the same order (no fused multiply-add),
    /// so a channel's output is the same whether its removal runs alone or beside others.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | HotPath.Compiled)]
    internal static TVector RemoveLanes<TLanes, TVector>(ref double state, nuint stride, TVector sample)
        where TLanes : struct, IDoubleLanes<TVector>
        where TVector : struct
    {
        // Harmonic references z^k, z = e^{jθ}, by the Chebyshev recurrence x_{k+1} = 2cos θ·x_k − x_{k−1}
        // (two multiply-adds each, phase-locked to the fundamental). Unrolled for the five harmonics: a
        // harmonic above Nyquist has a zero step, so its weights stay 0 and it adds nothing.
        var c1 = TLanes.Load(ref state, CancellerLanes.ReferenceCosRow * stride);
        var s1 = TLanes.Load(ref state, CancellerLanes.ReferenceSinRow * stride);
        var twoC = TLanes.Multiply(TLanes.Broadcast(2), c1);
        var c2 = TLanes.Subtract(TLanes.Multiply(twoC, c1), TLanes.Broadcast(1));
        var s2 = TLanes.Multiply(twoC, s1);
        var c3 = TLanes.Subtract(TLanes.Multiply(twoC, c2), c1);
        var s3 = TLanes.Subtract(TLanes.Multiply(twoC, s2), s1);
        var c4 = TLanes.Subtract(TLanes.Multiply(twoC, c3), c2);
        var s4 = TLanes.Subtract(TLanes.Multiply(twoC, s3), s2);
        var c5 = TLanes.Subtract(TLanes.Multiply(twoC, c4), c3);
        var s5 = TLanes.Subtract(TLanes.Multiply(twoC, s4), s3);

        nuint cos = CancellerLanes.CosRow * stride;
        nuint sin = CancellerLanes.SinRow * stride;
        var w1 = TLanes.Load(ref state, cos);
        var v1 = TLanes.Load(ref state, sin);
        var w2 = TLanes.Load(ref state, cos + stride);
        var v2 = TLanes.Load(ref state, sin + stride);
        var w3 = TLanes.Load(ref state, cos + (2 * stride));
        var v3 = TLanes.Load(ref state, sin + (2 * stride));
        var w4 = TLanes.Load(ref state, cos + (3 * stride));
        var v4 = TLanes.Load(ref state, sin + (3 * stride));
        var w5 = TLanes.Load(ref state, cos + (4 * stride));
        var v5 = TLanes.Load(ref state, sin + (4 * stride));
        var y1 = TLanes.Add(TLanes.Multiply(w1, c1), TLanes.Multiply(v1, s1));
        var y2 = TLanes.Add(TLanes.Multiply(w2, c2), TLanes.Multiply(v2, s2));
        var y3 = TLanes.Add(TLanes.Multiply(w3, c3), TLanes.Multiply(v3, s3));
        var y4 = TLanes.Add(TLanes.Multiply(w4, c4), TLanes.Multiply(v4, s4));
        var y5 = TLanes.Add(TLanes.Multiply(w5, c5), TLanes.Multiply(v5, s5));
        var error = TLanes.Subtract(sample, TLanes.Add(TLanes.Add(TLanes.Add(y1, y2), TLanes.Add(y3, y4)), y5));

        // All weights adapt on the full model's error; the output loses only the gated (present) harmonics.
        nuint gate = CancellerLanes.GateRow * stride;
        var removed = TLanes.Add(y1, TLanes.Multiply(TLanes.Load(ref state, gate + stride), y2));
        removed = TLanes.Add(removed, TLanes.Multiply(TLanes.Load(ref state, gate + (2 * stride)), y3));
        removed = TLanes.Add(removed, TLanes.Multiply(TLanes.Load(ref state, gate + (3 * stride)), y4));
        removed = TLanes.Add(removed, TLanes.Multiply(TLanes.Load(ref state, gate + (4 * stride)), y5));

        // Normalised step (as in NLMS): a contraction's broadband power in the hum bands would otherwise pull the weights,
        // the frequency loop and the harmonic gates off the hum, and they would need seconds to come back, leaving hum in
        // the envelope right where the contraction ended.
        var scaled = TLanes.Multiply(TLanes.Load(ref state, CancellerLanes.StepGainRow * stride), error);
        nuint step = CancellerLanes.StepRow * stride;
        var g1 = TLanes.Multiply(TLanes.Load(ref state, step), scaled);
        var g2 = TLanes.Multiply(TLanes.Load(ref state, step + stride), scaled);
        var g3 = TLanes.Multiply(TLanes.Load(ref state, step + (2 * stride)), scaled);
        var g4 = TLanes.Multiply(TLanes.Load(ref state, step + (3 * stride)), scaled);
        var g5 = TLanes.Multiply(TLanes.Load(ref state, step + (4 * stride)), scaled);

        // Lanes not engaged keep every value (the scalar canceller does not run its removal then).
        var engaged = TLanes.EqualMask(TLanes.Load(ref state, CancellerLanes.EngagedRow * stride), TLanes.Broadcast(1));
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(w1, TLanes.Multiply(g1, c1)), w1), ref state, cos);
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(v1, TLanes.Multiply(g1, s1)), v1), ref state, sin);
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(w2, TLanes.Multiply(g2, c2)), w2), ref state, cos + stride);
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(v2, TLanes.Multiply(g2, s2)), v2), ref state, sin + stride);
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(w3, TLanes.Multiply(g3, c3)), w3), ref state, cos + (2 * stride));
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(v3, TLanes.Multiply(g3, s3)), v3), ref state, sin + (2 * stride));
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(w4, TLanes.Multiply(g4, c4)), w4), ref state, cos + (3 * stride));
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(v4, TLanes.Multiply(g4, s4)), v4), ref state, sin + (3 * stride));
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(w5, TLanes.Multiply(g5, c5)), w5), ref state, cos + (4 * stride));
        TLanes.Store(TLanes.Select(engaged, TLanes.Add(v5, TLanes.Multiply(g5, s5)), v5), ref state, sin + (4 * stride));

        var stepCos = TLanes.Load(ref state, CancellerLanes.StepCosRow * stride);
        var stepSin = TLanes.Load(ref state, CancellerLanes.StepSinRow * stride);
        var nextCos = TLanes.Subtract(TLanes.Multiply(c1, stepCos), TLanes.Multiply(s1, stepSin));
        var nextSin = TLanes.Add(TLanes.Multiply(s1, stepCos), TLanes.Multiply(c1, stepSin));
        TLanes.Store(TLanes.Select(engaged, nextCos, c1), ref state, CancellerLanes.ReferenceCosRow * stride);
        TLanes.Store(TLanes.Select(engaged, nextSin, s1), ref state, CancellerLanes.ReferenceSinRow * stride);
        return TLanes.Select(engaged, TLanes.Subtract(sample, removed), sample);
    }

    private ref double Cell(int row) => ref _laneState[(row * _laneStride) + _lane];

    private ref double CosWeight(int k) => ref Cell(CancellerLanes.CosRow + k);

    private ref double SinWeight(int k) => ref Cell(CancellerLanes.SinRow + k);

    private ref double Gate(int k) => ref Cell(CancellerLanes.GateRow + k);

    private ref double ModelStep(int k) => ref Cell(CancellerLanes.StepRow + k);

    private ref double ReferenceCos => ref Cell(CancellerLanes.ReferenceCosRow);

    private ref double ReferenceSin => ref Cell(CancellerLanes.ReferenceSinRow);

    private ref double StepCos => ref Cell(CancellerLanes.StepCosRow);

    private ref double StepSin => ref Cell(CancellerLanes.StepSinRow);

    /// <summary>The step scale the next block's samples adapt with: _stepScale, times the re-acquisition factor while it applies.</summary>
    private ref double StepGain => ref Cell(CancellerLanes.StepGainRow);

    /// <summary>1 while hum is engaged (<see cref="HumPresent"/>), else 0: the removal's lane mask.</summary>
    private ref double Engaged => ref Cell(CancellerLanes.EngagedRow);

    private void ClearRows(int firstRow, int rows)
    {
        for (int row = firstRow; row < firstRow + rows; row++)
        {
            Cell(row) = 0;
        }
    }

    private void EndBlock()
    {
        foreach (var candidate in _candidates)
        {
            if (candidate.NominalHz == 50)
            {
                candidate.EndBlock(Cell(CancellerLanes.Sum50ReRow) * _blockScale, Cell(CancellerLanes.Sum50ImRow) * _blockScale);
            }
            else
            {
                candidate.EndBlock(Cell(CancellerLanes.Sum60ReRow) * _blockScale, Cell(CancellerLanes.Sum60ImRow) * _blockScale);
            }
        }

        ClearRows(CancellerLanes.Sum50ReRow, 4);

        // The usual input power (hum plus rest noise) falls to a lower block at once and rises slowly; the step for the
        // next block is scaled by it over this block's power.
        double power = Cell(CancellerLanes.BlockPowerRow) / _blockLength;
        Cell(CancellerLanes.BlockPowerRow) = 0;
        _lastBlockPower = power;
        double humPower = HumPower();
        bool lineHidden = power - humPower > LineHiddenRatio * humPower;
        if (!(_usualInputPower > 0) || power < _usualInputPower)
        {
            _usualInputPower = power;
        }
        else
        {
            // The rise cap applies to blocks whose broadband power hides the line (a contraction), so that a usual power
            // left low by a quiet or flat stretch still comes back at the ≈ 30-s approach when the line is plain.
            double risen = _usualInputPower + (UsualPowerRise * (power - _usualInputPower));
            _usualInputPower = lineHidden ? Math.Min(risen, _usualInputPower * UsualPowerMaxRisePerBlock) : risen;
        }

        double stepScaleUsed = _stepScale;
        double reliability = power > _usualInputPower && power > 0 ? _usualInputPower / power : 1;
        _stepScale = reliability;
        bool loud = reliability < CoastingReliability && lineHidden;
        _blocksSinceLoud = loud ? 0 : Math.Min(_blocksSinceLoud + 1, WindowBlocks);

        if (_locked is not null)
        {
            MeasureResidual(power - humPower);
            double kept = AdaptToBlockReliability(stepScaleUsed, reliability);
            TrackFrequency(kept, reliability, loud);
        }

        bool boosted = _locked is not null && _reacquiring && !loud && _blocksSinceLoud <= ReacquireBoostBlocks;
        StepGain = _stepScale * (boosted ? _reacquireStepFactor : 1);

        if (++_blocksSinceEvaluation >= EvaluationBlocks && _candidates[0].Filled >= WindowBlocks)
        {
            _blocksSinceEvaluation = 0;
            Evaluate();
        }
    }

    /// <summary>
    /// The block's mean demodulated error per harmonic from its weights' change, and the residual line power it makes with
    /// the block before (see <see cref="ResidualHumRms"/>). Before <see cref="AdaptToBlockReliability"/>, which rescales the change.
    /// </summary>
    /// <param name="errorPower">The block's input power less the modelled hum's: about the power of the model's error.</param>
    private void MeasureResidual(double errorPower)
    {
        double power = 0;
        for (int k = 0; k < _harmonics; k++)
        {
            double step = ModelStep(k) * StepGain * _blockLength;
            double re = step > 0 ? (CosWeight(k) - _blockStartCosWeights[k]) / step : 0;
            double im = step > 0 ? (SinWeight(k) - _blockStartSinWeights[k]) / step : 0;
            power += 2 * ((re * _lastResidualRe[k]) + (im * _lastResidualIm[k]));
            _lastResidualRe[k] = re;
            _lastResidualIm[k] = im;
        }

        _residualPowers[_residualPosition] = power;

        // Broadband input of power P gives each harmonic's m a mean square of P/N, so one pair's sum over H harmonics
        // spreads by (P/N)·√(2H) about 0: that much of the average is no evidence of a line.
        _residualNoise[_residualPosition] = Math.Max(0, errorPower) / _blockLength * Math.Sqrt(2.0 * _harmonics);
        _residualPosition = _residualPosition + 1 == ResidualBlocks ? 0 : _residualPosition + 1;
    }

    /// <summary>
    /// Scales the adaptation of the block that just ended to the step its own power called for, and returns the fraction
    /// of it kept (1 at rest, ≪ 1 in the first block of a contraction).
    /// </summary>
    /// <remarks>
    /// The step of a block is normalised by the power of the block before (the current one is not known until it ends).
    /// The first 100 ms of a contraction therefore run with the full rest step while the input is 100–20 000 times
    /// louder: EMG is broadband, so its energy inside each ≈ 1.3-Hz canceller band pulls the weights as far as the hum
    /// itself (measured: a 0.5-mV contraction moved a 30-µV hum estimate by 7 µV and turned its phase, and the frequency
    /// loop, reading that turn as a frequency error, drifted 0.7 Hz off and took 1 s to come back; the harmonic gates,
    /// disturbed, took 6 s). For a step much shorter than the block (μ·N ≈ 0.8 at τ = 0.25 s), the change of the weights
    /// over a block is about proportional to the step, so scaling it back by (step due)/(step used) gives nearly the
    /// normalised adaptation the block should have had. A block quieter than the one before keeps its adaptation (it
    /// cannot be added afterwards). This depends on the input power only, never on the output or the detector's view of
    /// activity, so it has no feedback: freezing adaptation while a window is masked as active fed the residual hum back
    /// into the mask and kept the canceller frozen.
    /// </remarks>
    private double AdaptToBlockReliability(double stepScaleUsed, double stepScaleDue)
    {
        double kept = stepScaleDue < stepScaleUsed ? stepScaleDue / stepScaleUsed : 1;
        for (int k = 0; k < MaxHarmonic; k++)
        {
            if (kept < 1)
            {
                CosWeight(k) = _blockStartCosWeights[k] + (kept * (CosWeight(k) - _blockStartCosWeights[k]));
                SinWeight(k) = _blockStartSinWeights[k] + (kept * (SinWeight(k) - _blockStartSinWeights[k]));
            }

            _blockStartCosWeights[k] = CosWeight(k);
            _blockStartSinWeights[k] = SinWeight(k);
        }

        return kept;
    }

    /// <param name="kept">Fraction of the block's adaptation kept (<see cref="AdaptToBlockReliability"/>): the loop corrects the frequency only as far as the weights were allowed to follow the line.</param>
    /// <param name="reliability">Usual input power over the block's power: how far the weights measured the line rather than the broadband input in this block.</param>
    /// <param name="loud">The block's broadband power hid the line (see <see cref="LineHiddenRatio"/>).</param>
    private void TrackFrequency(double kept, double reliability, bool loud)
    {
        // Keep the recursive oscillator on the unit circle (one Newton step; the error per block is ~1e-14).
        double norm = 1.5 - (0.5 * ((ReferenceCos * ReferenceCos) + (ReferenceSin * ReferenceSin)));
        ReferenceCos *= norm;
        ReferenceSin *= norm;

        // The fundamental's phasor relative to the reference is a − jb; it turns at (true − tracked) frequency.
        double re = CosWeight(0);
        double im = -SinWeight(0);
        if (++_blocksSinceEngaged > FrequencyLoopSettleBlocks)
        {
            double rotRe = (re * _previousPhasorRe) + (im * _previousPhasorIm);
            double rotIm = (im * _previousPhasorRe) - (re * _previousPhasorIm);
            if (rotRe != 0 || rotIm != 0)
            {
                double errorHz = Math.Atan2(rotIm, rotRe) / (2 * Math.PI * _blockLength / SampleRateHz);
                double nominal = _locked!.NominalHz;
                if (loud)
                {
                    _reacquiring = true;
                    _reacquiredStreak = 0;
                }
                else if (_reacquiring)
                {
                    _reacquiredStreak = kept == 1 && Math.Abs(errorHz) <= ReacquiredErrorHz ? _reacquiredStreak + 1 : 0;
                    if (_reacquiredStreak >= ReacquiredBlocks)
                    {
                        EndReacquisition();
                    }
                }

                // The weights' turn measures the frequency error only as far as they followed the line: partly in a
                // block whose adaptation was scaled back (kept < 1), not at all in a loud one, where they turn with the
                // EMG rather than the hum. During a contraction the loop so holds its frequency (a PLL's holdover).
                errorHz *= loud ? 0 : kept;

                // After such a stretch the weights first re-converge on the line (τ ≈ 2.5 blocks), and that movement is
                // no rotation either: as after engaging, the loop waits FrequencyLoopSettleBlocks before trusting it.
                if (_blocksSinceLoud <= (_reacquiring ? ReacquireSettleBlocks : FrequencyLoopSettleBlocks))
                {
                    errorHz = 0;
                }

                // The drift rate is a slow property of the mains, learnt at rest: the large errors of re-acquiring after a
                // coast are the coast's, and integrating them made the loop overshoot for seconds.
                if (!_reacquiring)
                {
                    _driftHzPerBlock += DriftLoopGain * errorHz;
                }
                // A loud block holds the frequency, drift rate and all: the mains stays within ±0.2 Hz of nominal in normal
                // operation and its load-frequency control acts over tens of seconds (ENTSO-E Operation Handbook, Policy 1),
                // so the last measured value is the best guess for the whole of a contraction. Extrapolating a drift rate
                // learnt over a few seconds ran a 4.5-s coast 0.5 Hz off the line (#112 of the property tests), and a
                // 30-s one would run to the edge of the tracking range.
                double drift = loud ? 0 : _driftHzPerBlock;
                SetTrackedFrequency(Math.Clamp(_trackedHz + (FrequencyLoopGain * errorHz) + drift, nominal - TrackingRangeHz, nominal + TrackingRangeHz));
            }
        }

        _previousPhasorRe = re;
        _previousPhasorIm = im;
        if (!_reacquiring)
        {
            GateHarmonics(reliability);
        }
    }

    /// <summary>
    /// The loop has the line again: harmonics that are being removed restart their averages from their present weights
    /// (their phase slipped by k·∫Δf dt while the loop coasted, and an average mixing both phases would read as
    /// incoherent). A harmonic not being removed keeps its averages, which a weight wandering with the EMG cannot make
    /// coherent, so it is not switched on by the restart.
    /// </summary>
    private void EndReacquisition()
    {
        _reacquiring = false;
        _reacquiredStreak = 0;
        _reacquiredStreak = 0;
        for (int k = 1; k < _harmonics; k++)
        {
            if (Gate(k) != 0)
            {
                double re = CosWeight(k);
                double im = SinWeight(k);
                _meanWeightRe[k] = re * _coherenceNormaliser;
                _meanWeightIm[k] = im * _coherenceNormaliser;
                _meanWeightPower[k] = ((re * re) + (im * im)) * _coherenceNormaliser;
            }
        }
    }

    private void GateHarmonics(double reliability)
    {
        // The averages learn from a block as far as its weights measured the line: under a contraction the normalised
        // weights barely move, which would read as a steady (coherent) line at harmonics the hum does not have and
        // switch them on, and then off again when the weights resume moving after it.
        double a = CoherenceSmoothing * reliability;
        _coherenceNormaliser = (_coherenceNormaliser * (1 - a)) + a;
        for (int k = 1; k < _harmonics; k++)
        {
            double re = CosWeight(k);
            double im = SinWeight(k);
            _meanWeightRe[k] += a * (re - _meanWeightRe[k]);
            _meanWeightIm[k] += a * (im - _meanWeightIm[k]);
            _meanWeightPower[k] += a * (((re * re) + (im * im)) - _meanWeightPower[k]);
            if (_blocksSinceEngaged < HarmonicGateSettleBlocks || _meanWeightPower[k] <= 0)
            {
                continue;
            }

            // Both averages carry the same start-up bias (1 − (1 − a)^m); it cancels once in the ratio.
            double coherence = ((_meanWeightRe[k] * _meanWeightRe[k]) + (_meanWeightIm[k] * _meanWeightIm[k])) / (_meanWeightPower[k] * _coherenceNormaliser);
            if (Gate(k) == 0 && coherence >= HarmonicOnCoherence)
            {
                Gate(k) = 1;
            }
            else if (Gate(k) != 0 && coherence < HarmonicOffCoherence)
            {
                Gate(k) = 0;
            }
        }
    }

    private void Evaluate()
    {
        Candidate? best = null;
        foreach (var candidate in _candidates)
        {
            candidate.Analyze(_blockLength / SampleRateHz);
            if (best is null || candidate.Ratio > best.Ratio)
            {
                best = candidate;
            }
        }

        if (_locked is null)
        {
            if (best!.Permitted && best.Ratio >= EngageRatio)
            {
                _engageStreak = ReferenceEquals(best, _pending) ? _engageStreak + 1 : 1;
                _pending = best;
                if (_engageStreak >= EngageEvaluations)
                {
                    Engage(best);
                }
            }
            else
            {
                _engageStreak = 0;
                _pending = null;
            }
        }
        else
        {
            // A contraction's broadband power swamps the ratio while the hum is still there: the line itself must
            // have faded too (below ReleaseLineFraction of its level while it was clearly measured), or a strong
            // contraction would switch the canceller off and hand the hum back to the envelope afterwards.
            if (_locked.Ratio >= EngageRatio)
            {
                _engagedLinePower = _locked.LinePower;
            }

            // Nor can a window holding a loud block tell: its lag-1 offset is the broadband's, so the coherent sum misses
            // the line and its power reads low (measured: a 47-µV hum released 2.4 s into a contraction at 150× a 2-µV
            // floor). The mains does not stop because a muscle contracts; such decisions leave the streak as it is.
            bool faded = _locked.Ratio < ReleaseRatio && _locked.LinePower < ReleaseLineFraction * _engagedLinePower;
            if (_blocksSinceLoud >= WindowBlocks || !faded)
            {
                _releaseStreak = faded ? _releaseStreak + 1 : 0;
            }

            if (_releaseStreak >= ReleaseEvaluations)
            {
                Release();
            }
        }
    }

    private void Engage(Candidate candidate)
    {
        // The line was just found to dominate the input around it: this block's power is the usual (hum plus rest) the
        // step is normalised by. Left from before (a flat or dropped stretch sets it near 0, and it may rise only slowly
        // while nothing is modelled), it would keep the step, and so the weights, at 0.
        _usualInputPower = _lastBlockPower;
        _stepScale = 1;
        StepGain = 1;
        _locked = candidate;
        Engaged = 1;
        _engagedLinePower = candidate.LinePower;
        _engageStreak = 0;
        _pending = null;
        _releaseStreak = 0;
        _blocksSinceEngaged = 0;
        _reacquiring = false;
        _harmonics = HarmonicsBelowNyquist(candidate.NominalHz, SampleRateHz);
        ClearRows(CancellerLanes.CosRow, MaxHarmonic);
        ClearRows(CancellerLanes.SinRow, MaxHarmonic);
        Array.Clear(_blockStartCosWeights);
        Array.Clear(_blockStartSinWeights);
        ClearResidual();
        ClearGates();
        Gate(0) = 1;
        for (int k = 0; k < MaxHarmonic; k++)
        {
            ModelStep(k) = k < _harmonics ? _stepSize : 0;
        }
        ReferenceCos = 1;
        ReferenceSin = 0;
        _previousPhasorRe = 0;
        _previousPhasorIm = 0;
        _driftHzPerBlock = 0;
        double nominal = candidate.NominalHz;
        SetTrackedFrequency(Math.Clamp(nominal + candidate.OffsetHz, nominal - TrackingRangeHz, nominal + TrackingRangeHz));
    }

    private void Release()
    {
        _locked = null;
        Engaged = 0;

        _releaseStreak = 0;
        _harmonics = 0;
        _trackedHz = 0;
        ClearRows(CancellerLanes.CosRow, MaxHarmonic);
        ClearRows(CancellerLanes.SinRow, MaxHarmonic);
        Array.Clear(_blockStartCosWeights);
        Array.Clear(_blockStartSinWeights);
        ClearResidual();
        ClearRows(CancellerLanes.StepRow, MaxHarmonic);
        ClearGates();
        ReferenceCos = 1;
        ReferenceSin = 0;
        StepCos = 1;
        StepSin = 0;
    }

    private void ClearResidual()
    {
        Array.Clear(_lastResidualRe);
        Array.Clear(_lastResidualIm);
        Array.Clear(_residualPowers);
        Array.Clear(_residualNoise);
    }

    private void ClearGates()
    {
        ClearRows(CancellerLanes.GateRow, MaxHarmonic);
        Array.Clear(_meanWeightRe);
        Array.Clear(_meanWeightIm);
        Array.Clear(_meanWeightPower);
        _coherenceNormaliser = 0;
    }

    private void SetTrackedFrequency(double hz)
    {
        _trackedHz = hz;
        double step = 2 * Math.PI * hz / SampleRateHz;
        StepCos = Math.Cos(step);
        StepSin = Math.Sin(step);
    }

    /// <summary>Detection state of one nominal frequency: the 2 s baseband ring and its analysis.</summary>
    private sealed class Candidate
    {
        private readonly double[] _ringRe = new double[WindowBlocks];
        private readonly double[] _ringIm = new double[WindowBlocks];
        private readonly double _blockStepCos;
        private readonly double _blockStepSin;
        private double _blockPhaseCos;
        private double _blockPhaseSin;
        private int _head;

        public Candidate(double nominalHz, bool permitted, double sampleRateHz, int blockLength)
        {
            NominalHz = nominalHz;
            Permitted = permitted;

            // Phase of e^{-jω₀n} at the start of each block (1 when a block holds whole cycles, as at 500/1000/2000 Hz).
            double blockPhase = 2 * Math.PI * nominalHz * blockLength / sampleRateHz;
            _blockStepCos = Math.Cos(blockPhase);
            _blockStepSin = -Math.Sin(blockPhase);
        }

        public double NominalHz { get; }

        /// <summary>False for the other mains frequency when one is forced: watched, never engaged.</summary>
        public bool Permitted { get; }

        /// <summary>Blocks in the ring (up to <see cref="WindowBlocks"/>).</summary>
        public int Filled { get; private set; }

        /// <summary>Line power over the rest of the baseband power at the last analysis.</summary>
        public double Ratio { get; private set; }

        /// <summary>Offset of the line from nominal at the last analysis, Hz.</summary>
        public double OffsetHz { get; private set; }

        /// <summary>The line's power (demodulated, coherent over the window) at the last analysis.</summary>
        public double LinePower { get; private set; }

        /// <summary>Stores one block's demodulated mean (re, im), phase-corrected to the block's start.</summary>
        public void EndBlock(double re, double im)
        {
            _ringRe[_head] = (re * _blockPhaseCos) - (im * _blockPhaseSin);
            _ringIm[_head] = (im * _blockPhaseCos) + (re * _blockPhaseSin);
            _head = _head + 1 == WindowBlocks ? 0 : _head + 1;
            Filled = Math.Min(Filled + 1, WindowBlocks);

            double c = (_blockPhaseCos * _blockStepCos) - (_blockPhaseSin * _blockStepSin);
            double s = (_blockPhaseSin * _blockStepCos) + (_blockPhaseCos * _blockStepSin);
            double norm = 1.5 - (0.5 * ((c * c) + (s * s)));
            _blockPhaseCos = c * norm;
            _blockPhaseSin = s * norm;
        }

        [MethodImpl(HotPath.Compiled)]
        public void Analyze(double blockSeconds)
        {
            // Chronological order starts at the head (the oldest block once the ring is full).
            double lagRe = 0;
            double lagIm = 0;
            double total = 0;
            int previous = _head;
            total += (_ringRe[previous] * _ringRe[previous]) + (_ringIm[previous] * _ringIm[previous]);
            for (int m = 1; m < WindowBlocks; m++)
            {
                int index = (_head + m) % WindowBlocks;
                double re = _ringRe[index];
                double im = _ringIm[index];
                lagRe += (re * _ringRe[previous]) + (im * _ringIm[previous]);
                lagIm += (im * _ringRe[previous]) - (re * _ringIm[previous]);
                total += (re * re) + (im * im);
                previous = index;
            }

            total /= WindowBlocks;
            double turn = Math.Atan2(lagIm, lagRe);
            OffsetHz = turn / (2 * Math.PI * blockSeconds);

            // Coherent sum at the estimated offset: the line's power with 1/20 of the broadband power.
            double stepCos = Math.Cos(turn);
            double stepSin = -Math.Sin(turn);
            double rotCos = 1;
            double rotSin = 0;
            double lineRe = 0;
            double lineIm = 0;
            for (int m = 0; m < WindowBlocks; m++)
            {
                int index = (_head + m) % WindowBlocks;
                double re = _ringRe[index];
                double im = _ringIm[index];
                lineRe += (re * rotCos) - (im * rotSin);
                lineIm += (im * rotCos) + (re * rotSin);
                double c = (rotCos * stepCos) - (rotSin * stepSin);
                rotSin = (rotSin * stepCos) + (rotCos * stepSin);
                rotCos = c;
            }

            double line = ((lineRe * lineRe) + (lineIm * lineIm)) / (WindowBlocks * (double)WindowBlocks);
            double rest = total - line;
            LinePower = line;
            Ratio = total <= 1e-24 ? 0 : line / Math.Max(rest, total * 1e-9);
        }

        public void Reset()
        {
            Array.Clear(_ringRe);
            Array.Clear(_ringIm);
            _head = 0;
            Filled = 0;
            Ratio = 0;
            OffsetHz = 0;
            LinePower = 0;
            _blockPhaseCos = 1;
            _blockPhaseSin = 0;
        }
    }

    /// <summary>One sample, for <see cref="StreamingBlock.Run"/>.</summary>
    private readonly struct Step(MainsInterferenceCanceller filter) : IStreamingStep
    {
        public float Process(float sample) => (float)filter.ProcessDouble(sample);
    }
}

/// <summary>
/// The per-sample removal state of several <see cref="MainsInterferenceCanceller"/>s side by side (structure of arrays):
/// row r of channel c at <c>State[r * Stride + c]</c>, so that the same row of four channels is one vector. The removal
/// is a chain of about 45 dependent operations per sample; run for four channels in one vector
/// (<see cref="MainsInterferenceCanceller.RemoveLanes"/>) the chains overlap instead of following one another.
/// </summary>
internal sealed class CancellerLanes
{
    public const int CosRow = 0;
    public const int SinRow = CosRow + MainsInterferenceCanceller.MaxHarmonic;
    public const int GateRow = SinRow + MainsInterferenceCanceller.MaxHarmonic;
    public const int StepRow = GateRow + MainsInterferenceCanceller.MaxHarmonic;
    public const int ReferenceCosRow = StepRow + MainsInterferenceCanceller.MaxHarmonic;
    public const int ReferenceSinRow = ReferenceCosRow + 1;
    public const int StepCosRow = ReferenceSinRow + 1;
    public const int StepSinRow = StepCosRow + 1;
    public const int StepGainRow = StepSinRow + 1;
    public const int EngagedRow = StepGainRow + 1;

    // The detection's block sums: the demodulated input at 50 Hz (re, im) and 60 Hz, and the input power.
    public const int Sum50ReRow = EngagedRow + 1;
    public const int Sum50ImRow = Sum50ReRow + 1;
    public const int Sum60ReRow = Sum50ImRow + 1;
    public const int Sum60ImRow = Sum60ReRow + 1;
    public const int BlockPowerRow = Sum60ImRow + 1;
    public const int Rows = BlockPowerRow + 1;

    public CancellerLanes(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Channels = channels;
        Stride = VectorLanes.Padded(channels);
        State = new double[Rows * Stride];
    }

    public int Channels { get; }

    /// <summary>Cells per row: the channels rounded up to a multiple of 4, so a vector of any width never leaves the row.</summary>
    public int Stride { get; }

    public double[] State { get; }
}
