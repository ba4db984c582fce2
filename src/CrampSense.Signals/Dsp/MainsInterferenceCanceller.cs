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
/// block by a frequency-locked loop on the rotation of the fundamental's weight (range ±1.5 Hz around nominal).
/// </para>
/// <para>
/// Written here rather than taken from a library: NWaves has fixed notches and a generic LMS filter, but no
/// reference-generating, frequency-tracking harmonic canceller, and its filters allocate per block.
/// </para>
/// </remarks>
public sealed class MainsInterferenceCanceller : IStreamingFilter
{
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

    private readonly Candidate[] _candidates;
    private readonly int _blockLength;
    private readonly double _blockScale;
    private readonly double _stepSize;
    private readonly double _nyquistHz;
    private readonly double[] _cosWeights = new double[MaxHarmonic];
    private readonly double[] _sinWeights = new double[MaxHarmonic];
    private readonly double[] _harmonicCos = new double[MaxHarmonic];
    private readonly double[] _harmonicSin = new double[MaxHarmonic];

    private int _sampleInBlock;
    private int _blocksSinceEvaluation;
    private int _blocksSinceEngaged;
    private Candidate? _locked;
    private Candidate? _pending;
    private int _engageStreak;
    private int _releaseStreak;
    private int _harmonics;
    private double _trackedHz;
    private double _referenceCos;
    private double _referenceSin;
    private double _stepCos;
    private double _stepSin;
    private double _previousPhasorRe;
    private double _previousPhasorIm;
    private double _driftHzPerBlock;

    /// <summary>Creates a canceller for one channel.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="mains">Which mains frequency to look for (default: detect 50 or 60 Hz).</param>
    /// <param name="timeConstantSeconds">Time constant of the adaptive weights, s: longer removes less EMG, shorter follows faster.</param>
    public MainsInterferenceCanceller(double sampleRateHz, MainsFrequency mains = MainsFrequency.Auto, double timeConstantSeconds = DefaultTimeConstantSeconds)
    {
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
        _nyquistHz = sampleRateHz / 2;
        _blockLength = Math.Max(1, (int)Math.Round(BlockSeconds * sampleRateHz));
        _blockScale = 1.0 / _blockLength;

        // Each weight sees a unit-amplitude reference of mean square 1/2: LMS time constant 2/μ samples.
        _stepSize = 2 / (timeConstantSeconds * sampleRateHz);

        // Both nominal frequencies are watched even when one is forced: a strong 50 Hz line leaks into the 60 Hz
        // baseband (it aliases to within ±0.5 Hz of 60 Hz when the mains is 0.5 Hz off a boxcar null) and must not
        // engage a 60 Hz canceller; only a permitted candidate that is also the strongest line engages.
        var candidates = new List<Candidate>(2);
        if (mains != MainsFrequency.Off)
        {
            foreach (double nominal in (double[])[50, 60])
            {
                if (HarmonicsBelowNyquist(nominal, sampleRateHz) > 0)
                {
                    bool permitted = mains == MainsFrequency.Auto || (mains == MainsFrequency.Hz50) == (nominal == 50);
                    candidates.Add(new Candidate(nominal, permitted, sampleRateHz, _blockLength));
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

    /// <summary>Harmonics being removed (fundamental included) while hum is present; 0 otherwise.</summary>
    public int HarmonicCount => _locked is null ? 0 : _harmonics;

    /// <summary>
    /// RMS of the hum being removed (all harmonics), in the signal's unit (mV for EMG); 0 when no hum. Computed
    /// from the current weights, so it costs a few multiplications to read.
    /// </summary>
    public double HumRms
    {
        get
        {
            if (_locked is null)
            {
                return 0;
            }

            double power = 0;
            for (int k = 0; k < _harmonics; k++)
            {
                power += (_cosWeights[k] * _cosWeights[k]) + (_sinWeights[k] * _sinWeights[k]);
            }

            return Math.Sqrt(power / 2);
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
        var candidates = _candidates;
        if (candidates.Length == 0)
        {
            return sample;
        }

        int i = _sampleInBlock;
        for (int c = 0; c < candidates.Length; c++)
        {
            var candidate = candidates[c];
            candidate.SumRe += sample * candidate.Cos[i];
            candidate.SumIm += sample * candidate.NegativeSin[i];
        }

        if (++i == _blockLength)
        {
            i = 0;
            EndBlock();
        }

        _sampleInBlock = i;
        return _locked is null ? sample : Cancel(sample);
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException($"Output holds {output.Length} samples, input {input.Length}.", nameof(output));
        }

        for (int n = 0; n < input.Length; n++)
        {
            output[n] = (float)ProcessDouble(input[n]);
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        foreach (var candidate in _candidates)
        {
            candidate.Reset();
        }

        _sampleInBlock = 0;
        _blocksSinceEvaluation = 0;
        _engageStreak = 0;
        _pending = null;
        Release();
    }

    private double Cancel(double sample)
    {
        var cosWeights = _cosWeights;
        var sinWeights = _sinWeights;
        var harmonicCos = _harmonicCos;
        var harmonicSin = _harmonicSin;
        int harmonics = _harmonics;
        double c1 = _referenceCos;
        double s1 = _referenceSin;

        // Harmonic k's reference is z^k, z = e^{jθ}: phase-locked to the fundamental.
        double ck = c1;
        double sk = s1;
        double estimate = 0;
        for (int k = 0; k < harmonics; k++)
        {
            harmonicCos[k] = ck;
            harmonicSin[k] = sk;
            estimate += (cosWeights[k] * ck) + (sinWeights[k] * sk);
            double next = (ck * c1) - (sk * s1);
            sk = (sk * c1) + (ck * s1);
            ck = next;
        }

        double error = sample - estimate;
        double gain = _stepSize * error;
        for (int k = 0; k < harmonics; k++)
        {
            cosWeights[k] += gain * harmonicCos[k];
            sinWeights[k] += gain * harmonicSin[k];
        }

        _referenceCos = (c1 * _stepCos) - (s1 * _stepSin);
        _referenceSin = (s1 * _stepCos) + (c1 * _stepSin);
        return error;
    }

    private void EndBlock()
    {
        foreach (var candidate in _candidates)
        {
            candidate.EndBlock(_blockScale);
        }

        if (_locked is not null)
        {
            TrackFrequency();
        }

        if (++_blocksSinceEvaluation >= EvaluationBlocks && _candidates[0].Filled >= WindowBlocks)
        {
            _blocksSinceEvaluation = 0;
            Evaluate();
        }
    }

    private void TrackFrequency()
    {
        // Keep the recursive oscillator on the unit circle (one Newton step; the error per block is ~1e-14).
        double norm = 1.5 - (0.5 * ((_referenceCos * _referenceCos) + (_referenceSin * _referenceSin)));
        _referenceCos *= norm;
        _referenceSin *= norm;

        // The fundamental's phasor relative to the reference is a − jb; it turns at (true − tracked) frequency.
        double re = _cosWeights[0];
        double im = -_sinWeights[0];
        if (++_blocksSinceEngaged > FrequencyLoopSettleBlocks)
        {
            double rotRe = (re * _previousPhasorRe) + (im * _previousPhasorIm);
            double rotIm = (im * _previousPhasorRe) - (re * _previousPhasorIm);
            if (rotRe != 0 || rotIm != 0)
            {
                double errorHz = Math.Atan2(rotIm, rotRe) / (2 * Math.PI * _blockLength / SampleRateHz);
                double nominal = _locked!.NominalHz;
                _driftHzPerBlock += DriftLoopGain * errorHz;
                SetTrackedFrequency(Math.Clamp(_trackedHz + (FrequencyLoopGain * errorHz) + _driftHzPerBlock, nominal - TrackingRangeHz, nominal + TrackingRangeHz));
            }
        }

        _previousPhasorRe = re;
        _previousPhasorIm = im;
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
            _releaseStreak = _locked.Ratio < ReleaseRatio ? _releaseStreak + 1 : 0;
            if (_releaseStreak >= ReleaseEvaluations)
            {
                Release();
            }
        }
    }

    private void Engage(Candidate candidate)
    {
        _locked = candidate;
        _engageStreak = 0;
        _pending = null;
        _releaseStreak = 0;
        _blocksSinceEngaged = 0;
        _harmonics = HarmonicsBelowNyquist(candidate.NominalHz, SampleRateHz);
        Array.Clear(_cosWeights);
        Array.Clear(_sinWeights);
        _referenceCos = 1;
        _referenceSin = 0;
        _previousPhasorRe = 0;
        _previousPhasorIm = 0;
        _driftHzPerBlock = 0;
        double nominal = candidate.NominalHz;
        SetTrackedFrequency(Math.Clamp(nominal + candidate.OffsetHz, nominal - TrackingRangeHz, nominal + TrackingRangeHz));
    }

    private void Release()
    {
        _locked = null;
        _releaseStreak = 0;
        _harmonics = 0;
        _trackedHz = 0;
        Array.Clear(_cosWeights);
        Array.Clear(_sinWeights);
        _referenceCos = 1;
        _referenceSin = 0;
        _stepCos = 1;
        _stepSin = 0;
    }

    private void SetTrackedFrequency(double hz)
    {
        _trackedHz = hz;
        double step = 2 * Math.PI * hz / SampleRateHz;
        _stepCos = Math.Cos(step);
        _stepSin = Math.Sin(step);
    }

    /// <summary>Detection state of one nominal frequency: demodulation table, block sums, the 2 s baseband ring.</summary>
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
            Cos = new double[blockLength];
            NegativeSin = new double[blockLength];
            for (int n = 0; n < blockLength; n++)
            {
                double phase = 2 * Math.PI * nominalHz * n / sampleRateHz;
                Cos[n] = Math.Cos(phase);
                NegativeSin[n] = -Math.Sin(phase);
            }

            // Phase of e^{-jω₀n} at the start of each block (1 when a block holds whole cycles, as at 500/1000/2000 Hz).
            double blockPhase = 2 * Math.PI * nominalHz * blockLength / sampleRateHz;
            _blockStepCos = Math.Cos(blockPhase);
            _blockStepSin = -Math.Sin(blockPhase);
        }

        public double NominalHz { get; }

        /// <summary>False for the other mains frequency when one is forced: watched, never engaged.</summary>
        public bool Permitted { get; }

        /// <summary>cos(ω₀n) over one block.</summary>
        public double[] Cos { get; }

        /// <summary>−sin(ω₀n) over one block.</summary>
        public double[] NegativeSin { get; }

        public double SumRe { get; set; }

        public double SumIm { get; set; }

        /// <summary>Blocks in the ring (up to <see cref="WindowBlocks"/>).</summary>
        public int Filled { get; private set; }

        /// <summary>Line power over the rest of the baseband power at the last analysis.</summary>
        public double Ratio { get; private set; }

        /// <summary>Offset of the line from nominal at the last analysis, Hz.</summary>
        public double OffsetHz { get; private set; }

        public void EndBlock(double scale)
        {
            double re = SumRe * scale;
            double im = SumIm * scale;
            _ringRe[_head] = (re * _blockPhaseCos) - (im * _blockPhaseSin);
            _ringIm[_head] = (im * _blockPhaseCos) + (re * _blockPhaseSin);
            _head = _head + 1 == WindowBlocks ? 0 : _head + 1;
            Filled = Math.Min(Filled + 1, WindowBlocks);
            SumRe = 0;
            SumIm = 0;

            double c = (_blockPhaseCos * _blockStepCos) - (_blockPhaseSin * _blockStepSin);
            double s = (_blockPhaseSin * _blockStepCos) + (_blockPhaseCos * _blockStepSin);
            double norm = 1.5 - (0.5 * ((c * c) + (s * s)));
            _blockPhaseCos = c * norm;
            _blockPhaseSin = s * norm;
        }

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
            Ratio = total <= 1e-24 ? 0 : line / Math.Max(rest, total * 1e-9);
        }

        public void Reset()
        {
            Array.Clear(_ringRe);
            Array.Clear(_ringIm);
            _head = 0;
            Filled = 0;
            SumRe = 0;
            SumIm = 0;
            Ratio = 0;
            OffsetHz = 0;
            _blockPhaseCos = 1;
            _blockPhaseSin = 0;
        }
    }
}
