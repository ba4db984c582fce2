namespace CrampSense.Simulation.Physiology;

/// <summary>Why a motor unit discharged (reported to the test observer).</summary>
internal enum DischargeKind
{
    Voluntary,
    Cramp,
    Doublet,
    Prodrome,
    Fasciculation,
}

/// <summary>
/// The motor-unit pool under one electrode: recruitment thresholds spread exponentially and rate coding after
/// Fuglevand, Winter &amp; Patla (1993), surface action potentials as Hermite–Rodriguez shapes that widen with
/// unit size, depth, fat, cold and cramp compression. Potentials are precomputed per unit and per width bin
/// and added at discharge times, so the cost is per discharge, not per sample and unit.
/// </summary>
internal sealed class MotorUnitPool
{
    /// <summary>Width scales are quantised in 2 % steps; finer steps change the spectrum by less than the
    /// between-subject spread.</summary>
    public const double WidthStep = 0.02;

    public const int WidthBins = 40;

    private const double TemplateHalfSpan = 4; // in time-scale units; the Hermite–Rodriguez tails are < e^-16 beyond

    private readonly double _sampleRateHz;
    private readonly double[] _threshold;
    private readonly double[] _peakRate;
    private readonly double[] _timeScaleSamples;
    private readonly double[] _triphasicShare;
    private readonly float[] _amplitude;
    private readonly float[]?[][] _templates;
    private readonly double[] _nextDischarge;
    private readonly bool[] _active;
    private readonly SimulationRandom _random;

    public MotorUnitPool(SiteParameters site, double voluntaryIsiCv, double sampleRateHz, SimulationRandom random)
    {
        ArgumentNullException.ThrowIfNull(site);
        VoluntaryIsiCv = voluntaryIsiCv;
        _sampleRateHz = sampleRateHz;
        _random = random;
        var n = site.MotorUnitCount;
        UnitCount = n;
        _threshold = new double[n];
        _peakRate = new double[n];
        _timeScaleSamples = new double[n];
        _triphasicShare = new double[n];
        _amplitude = new float[n];
        _templates = new float[]?[n][];
        _nextDischarge = new double[n];
        _active = new bool[n];

        var fatWidening = (1 + (PhysiologyConstants.MuapWidthPerFatMillimetre * site.FatMillimetres)) * site.MuapWidthFactor;
        var maxScale = 0.0;
        var rawAmplitude = new double[n];
        for (var i = 0; i < n; i++)
        {
            // Fuglevand 1993: RTE(i) = exp(ln(RR)·i/n); thresholds normalised so the last unit joins at FullRecruitmentExcitation.
            var rte = Math.Exp(Math.Log(PhysiologyConstants.RecruitmentRange) * i / (n - 1));
            _threshold[i] = PhysiologyConstants.FullRecruitmentExcitation * rte / PhysiologyConstants.RecruitmentRange;

            // Fuglevand 1993: PFR(i) = PFR1 − PFRD·RTE(i)/RTE(n).
            _peakRate[i] = PhysiologyConstants.FirstUnitPeakRatePps
                - ((PhysiologyConstants.FirstUnitPeakRatePps - PhysiologyConstants.LastUnitPeakRatePps) * rte / PhysiologyConstants.RecruitmentRange);

            var size = (double)i / (n - 1);
            var depth = random.NextDouble();
            rawAmplitude[i] = Math.Exp(Math.Log(site.MuapAmplitudeRange) * size) * (1 - (0.5 * depth)) * (random.Chance(0.5) ? 1 : -1);
            var scale = PhysiologyConstants.MuapBaseTimeScaleSeconds * (1 + (PhysiologyConstants.MuapWidthGrowthWithSize * size)) * (1 + (0.3 * depth)) * fatWidening;
            _timeScaleSamples[i] = scale * sampleRateHz;
            maxScale = Math.Max(maxScale, _timeScaleSamples[i]);
            _triphasicShare[i] = random.Uniform(0, 0.6);
        }

        MaxTemplateLength = (2 * (int)Math.Ceiling(TemplateHalfSpan * maxScale * (1 + (WidthStep * (WidthBins - 1))))) + 1;

        // Scale amplitudes so a maximal contraction (excitation 1) has the site's maximal RMS: mean power per sample is
        // Σ rate·amplitude²·energy / fs for independent trains.
        var power = 0.0;
        for (var i = 0; i < n; i++)
        {
            var rate = Math.Min(_peakRate[i], PhysiologyConstants.VoluntaryMinimumRatePps + (PhysiologyConstants.VoluntaryRateGainPps * (1 - _threshold[i])));
            power += rate * rawAmplitude[i] * rawAmplitude[i] * TemplateEnergy(i, 0) / sampleRateHz;
        }

        var gain = site.MaximalRmsMillivolts / Math.Sqrt(power);
        for (var i = 0; i < n; i++)
        {
            _amplitude[i] = (float)(rawAmplitude[i] * gain);
        }

        for (var i = 0; i < n; i++)
        {
            _nextDischarge[i] = double.NaN;
        }
    }

    public int UnitCount { get; }

    /// <summary>ISI coefficient of variation of voluntary firing.</summary>
    public double VoluntaryIsiCv { get; }

    /// <summary>ISI coefficient of variation of the current cramp (set per episode).</summary>
    public double CrampIsiCv { get; set; } = PhysiologyConstants.CrampIsiCv;

    /// <summary>Rate gain of the current cramp, pps per unit excitation above threshold (set per episode).</summary>
    public double CrampRateGainPps { get; set; } = PhysiologyConstants.CrampRateGainPps;

    /// <summary>Longest potential in samples; the render buffer needs this much room past a block.</summary>
    public int MaxTemplateLength { get; }

    /// <summary>Called for every discharge: unit, time in samples, kind.</summary>
    public Action<int, double, DischargeKind>? Observer { get; set; }

    public double Threshold(int unit) => _threshold[unit];

    /// <summary>Mean power (mV² per sample) a unit adds when it fires at <paramref name="ratePps"/>.</summary>
    public double UnitPower(int unit, double ratePps) => ratePps * _amplitude[unit] * _amplitude[unit] * TemplateEnergy(unit, 0) / _sampleRateHz;

    public static int WidthBin(double scale) => Math.Clamp((int)Math.Round((scale - 1) / WidthStep), 0, WidthBins - 1);

    /// <summary>Adds one potential of <paramref name="unit"/> starting at buffer index <paramref name="position"/>.</summary>
    public void AddPotential(int unit, int bin, int position, float scale, float[] buffer)
    {
        var template = Template(unit, bin);
        var amplitude = _amplitude[unit] * scale;
        var target = buffer.AsSpan(position, template.Length);
        for (var k = 0; k < template.Length; k++)
        {
            target[k] += amplitude * template[k];
        }
    }

    /// <summary>
    /// Renders the discharges of the block starting at absolute sample <paramref name="blockStart"/> into
    /// <paramref name="buffer"/> (index 0 = block start). <paramref name="voluntary"/> and <paramref name="cramp"/>
    /// are the excitations per sample; <paramref name="bins"/> the width bin per sample.
    /// </summary>
    public void Render(long blockStart, int count, ReadOnlySpan<float> voluntary, ReadOnlySpan<float> cramp, ReadOnlySpan<byte> bins, float[] buffer)
    {
        var maxDrive = 0f;
        for (var k = 0; k < count; k++)
        {
            maxDrive = Math.Max(maxDrive, Math.Max(voluntary[k], cramp[k]));
        }

        var blockEnd = blockStart + count;
        for (var i = 0; i < UnitCount; i++)
        {
            var threshold = _threshold[i];
            if (threshold > maxDrive)
            {
                // Thresholds increase with i, so no later unit fires in this block either.
                for (var j = i; j < UnitCount; j++)
                {
                    _active[j] = false;
                }

                break;
            }

            var t = _active[i] ? _nextDischarge[i] : blockStart;
            while (t < blockEnd)
            {
                var k = (int)(t - blockStart);
                var inCramp = cramp[k] >= threshold;
                if (!inCramp && voluntary[k] < threshold)
                {
                    // Not (or no longer) recruited: look for the next sample where it is.
                    _active[i] = false;
                    var next = k + 1;
                    while (next < count && cramp[next] < threshold && voluntary[next] < threshold)
                    {
                        next++;
                    }

                    if (next >= count)
                    {
                        break;
                    }

                    // First discharge a random fraction of an interval after recruitment, so units do not synchronise.
                    _active[i] = true;
                    t = blockStart + next + (_random.NextDouble() * _sampleRateHz / PhysiologyConstants.VoluntaryMinimumRatePps);
                    continue;
                }

                _active[i] = true;
                AddPotential(i, bins[k], k, 1f, buffer);
                double intervalSeconds;
                if (inCramp)
                {
                    Observer?.Invoke(i, t, DischargeKind.Cramp);
                    intervalSeconds = CrampInterval(threshold, cramp[k]);
                    if (_random.Chance(PhysiologyConstants.CrampDoubletFraction))
                    {
                        // Doublet: a second discharge 3–10 ms after the first (Minetto 2009: 4.1 % of discharges).
                        var gap = _random.Uniform(0.003, 0.010) * _sampleRateHz;
                        AddPotential(i, bins[k], k + (int)gap, 1f, buffer);
                        Observer?.Invoke(i, t + gap, DischargeKind.Doublet);
                    }
                }
                else
                {
                    Observer?.Invoke(i, t, DischargeKind.Voluntary);
                    var rate = Math.Min(_peakRate[i], PhysiologyConstants.VoluntaryMinimumRatePps + (PhysiologyConstants.VoluntaryRateGainPps * (voluntary[k] - threshold)));

                    // Gaussian ISI jitter (Fuglevand 1993), kept above a refractory 40 % of the mean.
                    intervalSeconds = Math.Max(0.4, 1 + (VoluntaryIsiCv * _random.NextGaussian())) / rate;
                }

                t += intervalSeconds * _sampleRateHz;
            }

            _nextDischarge[i] = t;
        }
    }

    /// <summary>An interspike interval of cramp discharge: gamma-distributed around the rate the cramp drive sets.</summary>
    public double CrampInterval(double threshold, double drive)
    {
        var rate = Math.Clamp(
            PhysiologyConstants.CrampMinimumRatePps + (CrampRateGainPps * (drive - threshold)),
            PhysiologyConstants.CrampMinimumRatePps,
            PhysiologyConstants.CrampPeakRatePps);
        // The doublets add short intervals that raise the measured CV, so the gamma part is a little more regular.
        var gammaCv = CrampIsiCv * PhysiologyConstants.CrampGammaCvShare;
        var shape = 1 / (gammaCv * gammaCv);
        return Math.Max(0.004, _random.NextGamma(shape) / (shape * rate));
    }

    private float[] Template(int unit, int bin)
    {
        var byBin = _templates[unit] ??= new float[WidthBins][];
        return byBin[bin] ??= BuildTemplate(unit, bin);
    }

    private double TemplateEnergy(int unit, int bin)
    {
        var energy = 0.0;
        foreach (var v in Template(unit, bin))
        {
            energy += v * v;
        }

        return energy;
    }

    /// <summary>
    /// Samples a mix of first- and second-order Hermite–Rodriguez functions (biphasic and triphasic surface
    /// potentials, as used by Lo Conte et al. 1994 for sEMG models), normalised to unit peak.
    /// </summary>
    private float[] BuildTemplate(int unit, int bin)
    {
        var lambda = _timeScaleSamples[unit] * (1 + (WidthStep * bin));
        var half = (int)Math.Ceiling(TemplateHalfSpan * lambda);
        var template = new float[(2 * half) + 1];
        var share = _triphasicShare[unit];
        var peak = 0.0;
        var values = new double[template.Length];
        for (var k = 0; k < template.Length; k++)
        {
            var u = (k - half) / lambda;
            var gauss = Math.Exp(-u * u);
            var biphasic = u * gauss / 0.42888; // peak of u·e^(−u²) is 1/√(2e)
            var triphasic = (1 - (2 * u * u)) * gauss;
            values[k] = ((1 - share) * biphasic) + (share * triphasic);
            peak = Math.Max(peak, Math.Abs(values[k]));
        }

        for (var k = 0; k < template.Length; k++)
        {
            template[k] = (float)(values[k] / peak);
        }

        return template;
    }
}
