using CrampSense.Simulation.Physiology;
using CrampSense.Simulation.Planning;

namespace CrampSense.Simulation.Stochastic;

/// <summary>
/// The stochastic engine's muscle signal of one site: amplitude-modulated Gaussian noise (the sEMG model of
/// Shwedyk, Balasubramanian &amp; Scott 1977 and De Luca 1979, "Physiology and mathematics of myoelectric
/// signals", IEEE Trans. Biomed. Eng. 26:313: a zero-mean Gaussian process whose variance follows the
/// excitation) shaped by <see cref="SemgShapingFilter"/>, with fatigue compressing the spectrum.
/// It shares the plan and its excitation with the motor-unit engine, and nothing else: no discharges, no
/// potential shapes, no cramp-specific spectral change (the literature gives none; issue 12).
/// </summary>
internal sealed class StochasticMuscleSignal
{
    /// <summary>Inter-electrode distance range, mm (SENIAM recommends ≤ 20 mm; model choice 10–20 mm).</summary>
    public const double MinimumElectrodeDistanceMillimetres = 10;

    /// <inheritdoc cref="MinimumElectrodeDistanceMillimetres"/>
    public const double MaximumElectrodeDistanceMillimetres = 20;

    /// <summary>Muscle-fibre conduction velocity at rest, m/s (about 4 m/s, Stulen &amp; De Luca 1981; range a model choice).</summary>
    public const double MinimumConductionVelocity = 3.5;

    /// <inheritdoc cref="MinimumConductionVelocity"/>
    public const double MaximumConductionVelocity = 5;

    /// <summary>
    /// Largest fall of conduction velocity with fatigue (fraction of rest). Sustained isometric contractions lower
    /// the median frequency by some 20–40 % within a minute or two (Stulen &amp; De Luca 1981; Merletti et al.
    /// 1990); model choice 30 %.
    /// </summary>
    public const double MaximumVelocityDrop = 0.3;

    /// <summary>Time constant of fatigue at full excitation, s (model choice: 60 s at maximal effort).</summary>
    public const double FatigueSeconds = 60;

    /// <summary>Time constant of recovery at rest, s (model choice: minutes).</summary>
    public const double RecoverySeconds = 300;

    /// <summary>Median frequency of a site whose front end is not randomised, Hz (the motor-unit engine's 60–100 Hz).</summary>
    private const double DefaultMinimumMedianHz = 60;

    private const double DefaultMaximumMedianHz = 100;

    /// <summary>Lowest recruitment threshold (Fuglevand 1993 unit 1): below it no unit fires, so nothing is in the EMG.
    /// The truth onset of a cramp is where the drive crosses it (PlanBuilder.DriveStart).</summary>
    private const double RecruitmentThreshold = PhysiologyConstants.FullRecruitmentExcitation / PhysiologyConstants.RecruitmentRange;

    private readonly double _sampleRateHz;
    private readonly SimulationRandom _random;
    private readonly SemgShapingFilter _filter;
    private readonly double _maximalRms;
    private readonly double _floorRms;
    // Log-normal σ of the prodrome's fluctuation (see ProdromeRms).
    private const double ProdromeIrregularity = 0.1;

    private readonly CrampEpisode[] _prodromes;
    private readonly double _fasciculationMean;
    private readonly double _amplitudeSmoothing;
    private double _amplitude;
    private double _fatigue;
    private double _irregularity;
    private double _nextFasciculationSeconds;

    /// <param name="parameters">The site (maximal RMS, median frequency).</param>
    /// <param name="cramps">This site's cramps (their prodromes are rendered here).</param>
    /// <param name="fasciculationIntervalSeconds">Mean interval between fasciculations.</param>
    /// <param name="floorMillivolts">RMS of the site's floor at the electrodes, which a prodrome rises above.</param>
    /// <param name="sampleRateHz">Sample rate.</param>
    /// <param name="random">This site's engine stream.</param>
    public StochasticMuscleSignal(SiteParameters parameters, IReadOnlyList<CrampEpisode> cramps, double fasciculationIntervalSeconds, double floorMillivolts, double sampleRateHz, SimulationRandom random)
    {
        _sampleRateHz = sampleRateHz;
        _random = random;
        _maximalRms = parameters.MaximalRmsMillivolts;
        _floorRms = floorMillivolts;
        _prodromes = [.. cramps.Where(c => c.HasProdrome)];
        _fasciculationMean = fasciculationIntervalSeconds;

        var median = parameters.MedianFrequencyHz > 0 ? parameters.MedianFrequencyHz : random.Uniform(DefaultMinimumMedianHz, DefaultMaximumMedianHz);
        ElectrodeDistanceMillimetres = random.Uniform(MinimumElectrodeDistanceMillimetres, MaximumElectrodeDistanceMillimetres);
        ConductionVelocity = random.Uniform(MinimumConductionVelocity, MaximumConductionVelocity);

        // f_h / f_l: Shwedyk's fits put the high corner a little above the low one; model choice 1.5–3.
        var ratio = random.Uniform(1.5, 3);
        var delay = ElectrodeDistanceMillimetres / 1000 / ConductionVelocity;
        var (fl, fh) = SemgShapingFilter.DesignForMedian(median, ratio, delay, sampleRateHz);
        _filter = new SemgShapingFilter(fl, fh, delay, sampleRateHz);
        DesignedMedianHz = _filter.CurrentMedianFrequency();

        // The amplitude follows the excitation through a 5-ms low-pass, so the 250-Hz control steps leave no edges.
        _amplitudeSmoothing = 1 - Math.Exp(-1 / (0.005 * sampleRateHz));
        _nextFasciculationSeconds = random.NextExponential(fasciculationIntervalSeconds);
    }

    /// <summary>Inter-electrode distance, mm.</summary>
    public double ElectrodeDistanceMillimetres { get; }

    /// <summary>Conduction velocity at rest, m/s.</summary>
    public double ConductionVelocity { get; }

    /// <summary>Median frequency of the designed spectrum at rest, Hz.</summary>
    public double DesignedMedianHz { get; }

    /// <summary>The shaping filter (its compression is the fatigue state).</summary>
    public SemgShapingFilter Filter => _filter;

    /// <summary>
    /// Renders the muscle signal of one block at the electrodes (mV) from the plan's excitation
    /// (<paramref name="voluntary"/> and <paramref name="cramp"/>, fractions of maximal).
    /// </summary>
    public void Render(long blockStart, float[] voluntary, float[] cramp, double coldScale, float[] output)
    {
        var dt = 1 / _sampleRateHz;

        // Fatigue state: rises with excitation, recovers at rest (first-order, per sample); the spectrum is
        // re-designed once per block for the velocity it implies. Cold skin also slows conduction.
        _filter.SetCompression((1 - (MaximumVelocityDrop * _fatigue)) / coldScale);
        var t0 = blockStart * dt;
        var t1 = (blockStart + output.Length) * dt;
        var fasciculation = NextFasciculationIndex(blockStart, t1);
        for (var k = 0; k < output.Length; k++)
        {
            var t = t0 + (k * dt);
            var excitation = Math.Min(1.0, voluntary[k] + cramp[k]);
            _fatigue += dt * ((excitation * (1 - _fatigue) / FatigueSeconds) - ((1 - excitation) * _fatigue / RecoverySeconds));

            // Linear in excitation above the lowest recruitment threshold (sEMG amplitude grows about linearly with
            // force in many muscles, Lawrence & De Luca 1983).
            var active = _maximalRms * Math.Max(0, excitation - RecruitmentThreshold) / (1 - RecruitmentThreshold);
            var prodrome = ProdromeRms(t);
            var target = prodrome > 0 ? Math.Sqrt((active * active) + (prodrome * prodrome)) : active;
            _amplitude += _amplitudeSmoothing * (target - _amplitude);

            var input = _amplitude * _random.NextGaussian();
            if (k == fasciculation)
            {
                // A spontaneous discharge of one larger unit: an impulse through the same shaping (its waveform is
                // the filter's impulse response, about 10 ms long; peak about 10–30 % of the maximal RMS, model choice).
                input += _maximalRms * _random.Uniform(0.1, 0.3) * Math.Sqrt(0.01 * _sampleRateHz);
                fasciculation = NextFasciculationIndex(blockStart, t1);
            }

            output[k] = (float)_filter.Process(input);
        }
    }

    /// <summary>
    /// RMS of the prodrome at <paramref name="t"/>: a slow, irregular rise over the whole prodrome (tens of seconds)
    /// that takes the site from its floor to (1 + increase) × the floor at the onset (Chaney &amp; Sherman's 100–500 %;
    /// <see cref="CrampEpisode.ProdromePowerOverFloor"/>). There is no plateau: a prodrome is told from a cramp by its
    /// slow rise, against a cramp's onset ramp of ≤ 1 s (issue 12).
    /// </summary>
    private double ProdromeRms(double t)
    {
        foreach (var c in _prodromes)
        {
            if (t < c.ProdromeStart || t >= c.Onset)
            {
                continue;
            }

            var progress = (t - c.ProdromeStart) / (c.Onset - c.ProdromeStart);
            var level = _floorRms * Math.Sqrt(c.ProdromePowerOverFloor(progress));

            // Irregular discharge of a few units: a slow log-normal fluctuation (AR(1), τ ≈ 0.3 s; model choice). Its
            // size follows Chaney & Sherman: spikes +250 % over baseline on a mean rise of +217 %, i.e. about 10 %
            // above the raised level, so σ = 0.1 (2σ ≈ +20 %). The earlier σ = 0.35 doubled the level within seconds,
            // a jump no measured prodrome shows, and made the site active tens of seconds before the cramp.
            var rho = Math.Exp(-1 / (0.3 * _sampleRateHz));
            _irregularity = (rho * _irregularity) + (Math.Sqrt(1 - (rho * rho)) * _random.NextGaussian());
            return level * Math.Exp((ProdromeIrregularity * _irregularity) - (ProdromeIrregularity * ProdromeIrregularity / 2));
        }

        return 0;
    }

    /// <summary>Index in the block of the next fasciculation before <paramref name="blockEndSeconds"/>, or −1.</summary>
    private int NextFasciculationIndex(long blockStart, double blockEndSeconds)
    {
        if (_nextFasciculationSeconds >= blockEndSeconds)
        {
            return -1;
        }

        var index = Math.Max(0, (int)((_nextFasciculationSeconds * _sampleRateHz) - blockStart));
        _nextFasciculationSeconds += _random.NextExponential(_fasciculationMean);
        return index;
    }
}
