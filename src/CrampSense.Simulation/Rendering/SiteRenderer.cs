using CrampSense.Signals.Dsp;
using CrampSense.Simulation.Physiology;
using CrampSense.Simulation.Planning;
using CrampSense.Simulation.Stochastic;

namespace CrampSense.Simulation.Rendering;

/// <summary>
/// Renders one EMG site block by block: excitation from the plan, then the muscle signal of the engine (motor-unit
/// discharges, prodrome units and fasciculations into a ring of pending samples; or the stochastic engine's shaped
/// noise), then, common to both engines, crosstalk, noise, hum, wander, artifacts, gain, DC offset, clipping at
/// the channel's full scale, faults and ADC quantisation.
/// </summary>
internal sealed class SiteRenderer
{
    private readonly int _site;
    private readonly SiteParameters _parameters;
    private readonly SimulationPlan _plan;
    private readonly double _sampleRateHz;
    private readonly int _blockLength;
    private readonly SimulationRandom _random;
    private readonly RecordingFrontEnd _frontEnd;
    private readonly StochasticMuscleSignal? _stochastic;
    private readonly float[] _pending;
    private readonly float[] _muscle;
    private readonly float[] _voluntary;
    private readonly float[] _cramp;
    private readonly float[] _compression;
    private readonly byte[] _bins;
    private readonly DriveSegment[] _drives;
    private readonly CrampEpisode[] _cramps;
    private readonly IReadOnlyList<CycleBurst>[] _burstsByKind;
    private readonly int[] _cycleCursors;
    private readonly int[] _stepCursors;
    private readonly ProdromeUnit[] _prodromeUnits;
    private readonly ArtifactEvent[] _artifacts;
    private readonly LeadOffEvent[] _leadOffs;
    private readonly double _wanderFrequency1;
    private readonly double _wanderFrequency2;
    private readonly double _wanderPhase1;
    private readonly double _wanderPhase2;
    private readonly double _crampPhase;
    private readonly int _controlStep;
    private readonly double _phaseOffset;
    private int _driveCursor;
    private double _nextFasciculationSeconds;

    public SiteRenderer(int site, SiteParameters parameters, double voluntaryIsiCv, SimulationPlan plan, RecordingFrontEnd frontEnd, SimulationEngine engine, double sampleRateHz, int blockLength, SimulationRandom random)
    {
        _frontEnd = frontEnd;
        _site = site;
        _parameters = parameters;
        _plan = plan;
        _sampleRateHz = sampleRateHz;
        _blockLength = blockLength;
        _random = random;
        var engineRandom = random.Fork();
        Pool = engine == SimulationEngine.MotorUnit ? new MotorUnitPool(parameters, voluntaryIsiCv, sampleRateHz, engineRandom) : null;
        _pending = Pool is null ? new float[blockLength] : new float[blockLength + Pool.MaxTemplateLength + (int)Math.Ceiling(0.011 * sampleRateHz) + 1];
        _muscle = new float[blockLength];
        _voluntary = new float[blockLength];
        _cramp = new float[blockLength];
        _compression = new float[blockLength];
        _bins = new byte[blockLength];

        // Excitation changes slowly (bursts of tens of ms at the fastest), so it is evaluated at 250 Hz and held.
        _controlStep = Math.Max(1, (int)Math.Round(sampleRateHz / 250));
        _phaseOffset = MuscleRoles.CyclePhaseOffset(parameters.Site);
        _drives = [.. plan.Drives[site].OrderBy(d => d.Start)];
        _cramps = [.. plan.Cramps.Where(c => c.Site == site).OrderBy(c => c.Onset)];
        var role = MuscleRoles.FromSite(parameters.Site);
        _burstsByKind = [.. Enum.GetValues<RhythmKind>().Select(kind => MuscleRoles.Bursts(role, kind))];
        _cycleCursors = new int[plan.Rhythms.Count];
        Array.Fill(_cycleCursors, -1);
        _stepCursors = new int[plan.Rhythms.Count];
        Array.Fill(_stepCursors, -1);
        _artifacts = [.. plan.Artifacts.Where(a => (a.SiteMask & (1UL << site)) != 0).OrderBy(a => a.Start)];
        _leadOffs = [.. plan.LeadOffs.Where(l => l.Site == site).OrderBy(l => l.Start)];
        _wanderFrequency1 = random.Uniform(0.05, 0.3);
        _wanderFrequency2 = random.Uniform(0.3, 1.0);
        _wanderPhase1 = random.Uniform(0, 2 * Math.PI);
        _wanderPhase2 = random.Uniform(0, 2 * Math.PI);
        _crampPhase = random.Uniform(0, 2 * Math.PI);
        _nextFasciculationSeconds = random.NextExponential(plan.FasciculationIntervalSeconds[site]);
        if (Pool is null)
        {
            _prodromeUnits = [];
            _stochastic = new StochasticMuscleSignal(parameters, _cramps, plan.FasciculationIntervalSeconds[site], FloorMillivolts(), sampleRateHz, engineRandom);
        }
        else
        {
            _prodromeUnits = PlanProdromeUnits();
        }
    }

    /// <summary>The motor-unit pool, or null for the stochastic engine.</summary>
    public MotorUnitPool? Pool { get; }

    /// <summary>Observer for prodrome and fasciculation discharges (the pool reports its own).</summary>
    public Action<int, double, DischargeKind>? ExtraObserver { get; set; }

    /// <summary>Renders the muscle signal (before crosstalk and nuisances) of the block starting at <paramref name="blockStart"/>.</summary>
    public float[] RenderMuscle(long blockStart, double coldScale)
    {
        var t0 = blockStart / _sampleRateHz;
        if (_stochastic is not null)
        {
            ComputeDrives(blockStart, coldScale);
            _stochastic.Render(blockStart, _voluntary, _cramp, coldScale, _muscle);
            return _muscle;
        }

        var widthScale = coldScale * Fatigue(t0);
        ComputeDrives(blockStart, widthScale);
        Pool!.Render(blockStart, _blockLength, _voluntary, _cramp, _bins, _pending);
        RenderProdrome(blockStart);
        RenderFasciculations(blockStart);

        Array.Copy(_pending, _muscle, _blockLength);
        var tail = _pending.Length - _blockLength;
        Array.Copy(_pending, _blockLength, _pending, 0, tail);
        Array.Clear(_pending, tail, _blockLength);
        return _muscle;
    }

    /// <summary>Adds crosstalk, noise, hum, wander and artifacts, applies gain and faults, into <paramref name="output"/>.</summary>
    public void Finish(long blockStart, float[][] muscles, double[] hum, float[] output)
    {
        var noise = _parameters.NoiseMicrovolts / 1000;
        var humAmplitude = _plan.HumMicrovolts / 1000 * _parameters.HumCoupling;
        var wander = _plan.WanderMicrovolts / 1000;
        var crosstalk = (float)_parameters.CrosstalkFraction;
        var gain = _parameters.GainFactor;
        var dcOffset = _parameters.DcOffsetMillivolts;
        var fullScale = _parameters.FullScaleMillivolts;
        var own = muscles[_site];
        for (var k = 0; k < _blockLength; k++)
        {
            var t = (blockStart + k) / _sampleRateHz;
            var others = 0f;
            for (var s = 0; s < muscles.Length; s++)
            {
                if (s != _site)
                {
                    others += muscles[s][k];
                }
            }

            var value = own[k] + (crosstalk * others) + (noise * _random.NextGaussian()) + (humAmplitude * hum[k]);
            if (wander > 0)
            {
                value += wander * ((0.6 * Math.Sin((2 * Math.PI * _wanderFrequency1 * t) + _wanderPhase1)) + (0.4 * Math.Sin((2 * Math.PI * _wanderFrequency2 * t) + _wanderPhase2)));
            }

            output[k] = (float)value;
        }

        AddArtifacts(blockStart, hum, output);
        AddStepArtifacts(blockStart, output);
        for (var k = 0; k < _blockLength; k++)
        {
            // The ADC saturates at its rails (its full scale referred to the electrodes).
            output[k] = (float)Math.Clamp((output[k] * gain) + dcOffset, -fullScale, fullScale);
        }

        ApplyLeadOffs(blockStart, output);
        if (_frontEnd.AdcBits > 0)
        {
            Quantise(output, fullScale, _frontEnd.AdcBits);
        }
    }

    /// <summary>
    /// Rounds to the ADC's codes: 2^bits steps over ±full scale, mid-tread, the top code one step below +full scale
    /// (as an MCP3008/3208 biased to mid-scale reports 0…2^bits − 1).
    /// </summary>
    private static void Quantise(float[] output, double fullScale, int bits)
    {
        var codes = 1 << bits;
        var step = 2 * fullScale / codes;
        for (var k = 0; k < output.Length; k++)
        {
            var code = Math.Clamp(Math.Round((output[k] + fullScale) / step), 0, codes - 1);
            output[k] = (float)((code * step) - fullScale);
        }
    }

    /// <summary>RMS of this site's rest floor at the electrodes as an sEMG baseline is measured (<see cref="RestFloorPower"/>), mV.</summary>
    private double FloorMillivolts() => Math.Sqrt(RestFloorPower());

    /// <summary>
    /// Mean power of this site's rest floor at the electrodes, mV², as the EMG band sees it: the white electrode noise
    /// and the ADC's quantisation noise (step²/12, referred to the electrodes) within the detector's pass band
    /// (<see cref="EmgFilterOptions"/> 20–450 Hz, at most <see cref="ButterworthBandPass.MaxUpperEdgeFraction"/> × the
    /// rate), without mains hum. A prodrome's "+100–500 % over the floor" (Chaney &amp; Sherman) is a rise of the
    /// resting sEMG, which is measured filtered and without hum; scaled to the broadband noise plus the hum instead,
    /// a prodrome under 40 µV of hum over a 3-µV floor rose 10–20 × over the floor any detector measures within a few
    /// seconds of its start and was, by the product's rule, a cramp (15 of 77 prodromes activated the site 23–48 s early).
    /// </summary>
    private double RestFloorPower()
    {
        var noise = _parameters.NoiseMicrovolts / 1000;
        var power = noise * noise;
        if (_frontEnd.AdcBits > 0)
        {
            var step = 2 * _parameters.FullScaleMillivolts / (1 << _frontEnd.AdcBits) / _parameters.GainFactor;
            power += step * step / 12;
        }

        // Both noises are white (one independent draw or rounding per sample): the band keeps its share of the spectrum.
        var band = EmgFilterOptions.Default;
        var upper = Math.Min(band.LowPassHz, ButterworthBandPass.MaxUpperEdgeFraction * _sampleRateHz);
        var inBand = Math.Clamp((upper - band.HighPassHz) / (_sampleRateHz / 2), 0, 1);
        return power * inBand;
    }

    private void ComputeDrives(long blockStart, double widthScale)
    {
        var t0 = blockStart / _sampleRateHz;
        var t1 = (blockStart + _blockLength) / _sampleRateHz;
        Array.Clear(_voluntary);
        Array.Clear(_cramp);
        Array.Clear(_compression);

        while (_driveCursor < _drives.Length && _drives[_driveCursor].End < t0)
        {
            _driveCursor++;
        }

        for (var j = _driveCursor; j < _drives.Length && _drives[j].Start < t1; j++)
        {
            var d = _drives[j];
            if (d.End < t0)
            {
                continue;
            }

            var bout = d.Rhythm >= 0 ? _plan.Rhythms[d.Rhythm] : null;
            var bursts = bout is null ? null : _burstsByKind[(int)bout.Kind];
            var phase0 = d.Start * 7.13;
            for (var k = 0; k < _blockLength; k += _controlStep)
            {
                var t = (blockStart + k) / _sampleRateHz;
                if (t < d.Start || t >= d.End)
                {
                    continue;
                }

                var envelope = Smooth((t - d.Start) / d.RampSeconds) * Smooth((d.End - t) / d.RampSeconds);
                var wobble = 1 + (d.Wobble * ((0.6 * Math.Sin((2 * Math.PI * 0.7 * t) + phase0)) + (0.4 * Math.Sin((2 * Math.PI * 1.9 * t) + (2 * phase0)))));
                var shape = 1.0;
                if (bout is not null)
                {
                    var phase = bout.PhaseAt(t, ref _cycleCursors[d.Rhythm]);
                    shape = phase < 0 ? 0 : BurstShape(bursts!, (phase + _phaseOffset) % 1);
                }

                var value = (float)(d.Level * envelope * wobble * shape);
                for (var h = k; h < k + _controlStep && h < _blockLength; h++)
                {
                    _voluntary[h] += value;
                }
            }
        }

        foreach (var c in _cramps)
        {
            if (c.StretchStart < t0 || c.Onset >= t1)
            {
                continue;
            }

            if (Pool is not null)
            {
                Pool.CrampIsiCv = c.IsiCv;
                Pool.CrampRateGainPps = c.RateGainPps;
            }

            for (var k = 0; k < _blockLength; k += _controlStep)
            {
                var t = (blockStart + k) / _sampleRateHz;
                if (t < c.Onset || t >= c.StretchStart)
                {
                    continue;
                }

                // Intensity rises through the cramp (rising amplitude); common drive fluctuates near 1.4 Hz (Minetto 2009).
                var progress = (t - c.Onset) / (c.StretchStart - c.Onset);
                var intensity = c.InitialIntensity + ((c.PeakIntensity - c.InitialIntensity) * progress);
                var fluctuation = 1 + (0.08 * Math.Sin((2 * Math.PI * PhysiologyConstants.CrampCommonDriveHz * t) + _crampPhase))
                    + (0.05 * Math.Sin((2 * Math.PI * 0.11 * t) + (2 * _crampPhase)));
                var fade = c.FadeSeconds > 0 ? Smooth((c.StretchStart - t) / c.FadeSeconds) : 1;
                var drive = (float)(intensity * Smooth((t - c.Onset) / c.OnsetRampSeconds) * fluctuation * fade);
                var compression = (float)(PhysiologyConstants.CrampSpectralCompression * progress);
                for (var h = k; h < k + _controlStep && h < _blockLength; h++)
                {
                    _cramp[h] += drive;
                    _compression[h] = compression;
                }
            }
        }

        for (var k = 0; k < _blockLength; k++)
        {
            _voluntary[k] = Math.Min(_voluntary[k], 1f);
            _cramp[k] = Math.Min(_cramp[k], 1f);
            _bins[k] = (byte)MotorUnitPool.WidthBin(widthScale * (1 + _compression[k]));
        }
    }

    private double Fatigue(double t)
    {
        // Median frequency falls with sustained effort (Krivickas 1998): widen potentials over 30 min of a bout,
        // recovering over 5 min after it.
        var widening = 0.0;
        foreach (var bout in _plan.Rhythms)
        {
            if (t < bout.Start || t > bout.End + 300)
            {
                continue;
            }

            var effort = Math.Min(1, (Math.Min(t, bout.End) - bout.Start) / 1800);
            var recovery = t > bout.End ? 1 - ((t - bout.End) / 300) : 1;
            widening = Math.Max(widening, PhysiologyConstants.FatigueWidening * effort * recovery);
        }

        return 1 + widening;
    }

    private ProdromeUnit[] PlanProdromeUnits()
    {
        var units = new List<ProdromeUnit>();
        var floorPower = RestFloorPower();
        foreach (var c in _cramps.Where(c => c.HasProdrome))
        {
            // Low-threshold units start to discharge irregularly and are added one by one over the whole prodrome, each
            // when the slow rise (CrampEpisode.ProdromePowerOverFloor) has reached its share, so the envelope climbs to
            // (1 + increase) × the floor at the onset (Chaney & Sherman: raised tension over 41 ± 11 s, spikes only
            // ~10 % above the raised level). They used to join over the first 40 % and then hold: a plateau of tens of
            // seconds at 2–6 × the floor, which by the product's rule is a cramp, not a prodrome. 24–40 units (model
            // choice) keep a 250-ms window's envelope from doubling on the chance bunching of a few discharges.
            var count = 24 + _random.NextInt(17);
            var chosen = new List<ProdromeUnit>();
            var length = c.Onset - c.ProdromeStart;
            var target = floorPower * c.ProdromePowerOverFloor(1);
            for (var j = 0; j < count; j++)
            {
                var unit = _random.NextInt(20);
                var rate = _random.Uniform(6, 10);

                // Each unit carries an equal share of the power (a large unit scaled like a small one stepped the
                // envelope up) and joins when the rise reaches the middle of its share.
                var share = (j + 0.5) / count * c.ProdromePowerOverFloor(1);
                var start = c.ProdromeStart + (c.ProdromeProgressAt(share) * length);
                chosen.Add(new ProdromeUnit(unit, start, c.Onset, rate)
                {
                    Next = start + (_random.NextDouble() / rate),
                    Scale = (float)Math.Sqrt(target / count / Pool!.UnitPower(unit, rate)),
                });
            }

            units.AddRange(chosen);
        }

        return [.. units];
    }

    private void RenderProdrome(long blockStart)
    {
        var t0 = blockStart / _sampleRateHz;
        var t1 = (blockStart + _blockLength) / _sampleRateHz;
        const double Shape = 1 / (PhysiologyConstants.CrampIsiCv * PhysiologyConstants.CrampIsiCv);
        foreach (var u in _prodromeUnits)
        {
            if (u.End < t0 || u.Start >= t1)
            {
                continue;
            }

            while (u.Next < t1 && u.Next < u.End)
            {
                if (u.Next >= t0)
                {
                    var k = Math.Min(_blockLength - 1, (int)((u.Next * _sampleRateHz) - blockStart));
                    Pool!.AddPotential(u.Unit, _bins[k], k, u.Scale, _pending);
                    ExtraObserver?.Invoke(u.Unit, u.Next * _sampleRateHz, DischargeKind.Prodrome);
                }

                // Irregular, cramp-like discharge (ISI CV as in Minetto 2009).
                u.Next += Math.Max(0.01, _random.NextGamma(Shape) / (Shape * u.RatePps));
            }
        }
    }

    private void RenderFasciculations(long blockStart)
    {
        var t1 = (blockStart + _blockLength) / _sampleRateHz;
        var mean = _plan.FasciculationIntervalSeconds[_site];
        while (_nextFasciculationSeconds < t1)
        {
            var k = Math.Min(_blockLength - 1, (int)((_nextFasciculationSeconds * _sampleRateHz) - blockStart));
            if (k >= 0)
            {
                // A single spontaneous discharge of a larger unit.
                var unit = (Pool!.UnitCount / 2) + _random.NextInt(Pool.UnitCount / 2);
                Pool.AddPotential(unit, _bins[k], k, 1f, _pending);
                ExtraObserver?.Invoke(unit, _nextFasciculationSeconds * _sampleRateHz, DischargeKind.Fasciculation);
            }

            _nextFasciculationSeconds += _random.NextExponential(mean);
        }
    }

    private void AddArtifacts(long blockStart, double[] hum, float[] output)
    {
        var t0 = blockStart / _sampleRateHz;
        var t1 = (blockStart + _blockLength) / _sampleRateHz;
        foreach (var a in _artifacts)
        {
            if (a.Start >= t1)
            {
                break;
            }

            if (a.Start + a.Duration < t0)
            {
                continue;
            }

            // Each site sees the artifact a little differently (stable per site and event).
            var siteFactor = 0.5 + (0.5 * Math.Abs(Math.Sin((_site * 12.9898) + (a.Start * 78.233))));
            for (var k = 0; k < _blockLength; k++)
            {
                var tau = ((blockStart + k) / _sampleRateHz) - a.Start;
                if (tau < 0 || tau >= a.Duration)
                {
                    continue;
                }

                var value = a.Kind switch
                {
                    // < 20 Hz transient under a Hann window (movement artifact band, De Luca et al. 2010).
                    ArtifactKind.Motion => a.AmplitudeMillivolts * siteFactor * 0.5 * (1 - Math.Cos(2 * Math.PI * tau / a.Duration))
                        * (Math.Sin(2 * Math.PI * a.Parameter * tau) + (0.5 * Math.Sin((2 * Math.PI * 0.43 * a.Parameter * tau) + 1))),

                    // Electrode pop: a step that decays as the electrode's double layer recharges.
                    ArtifactKind.ElectrodePop => a.AmplitudeMillivolts * Math.Exp(-tau / a.Parameter),

                    // Strong hum near an appliance, with 0.5 s fades.
                    _ => a.AmplitudeMillivolts * _parameters.HumCoupling * Math.Min(1, Math.Min(tau, a.Duration - tau) / 0.5) * hum[k],
                };
                output[k] += (float)value;
            }
        }
    }

    /// <summary>
    /// Walking and running shake the cables and skin at every heel strike: a low-frequency (&lt; 20 Hz) transient
    /// locked to the gait cycle (movement artifact band, De Luca et al. 2010; size per subject is a model choice).
    /// </summary>
    private void AddStepArtifacts(long blockStart, float[] output)
    {
        var amplitude = _parameters.StepArtifactMicrovolts / 1000;
        if (amplitude <= 0)
        {
            return;
        }

        var t0 = blockStart / _sampleRateHz;
        var t1 = (blockStart + _blockLength) / _sampleRateHz;
        for (var r = 0; r < _plan.Rhythms.Count; r++)
        {
            var bout = _plan.Rhythms[r];
            if (bout.Kind == RhythmKind.Cycling || bout.End < t0 || bout.Start >= t1)
            {
                continue;
            }

            for (var k = 0; k < _blockLength; k++)
            {
                var t = (blockStart + k) / _sampleRateHz;
                var phase = bout.PhaseAt(t, ref _stepCursors[r]);
                if (phase < 0)
                {
                    continue;
                }

                var since = t - bout.CycleStarts[_stepCursors[r]];
                if (since > 0.3)
                {
                    continue; // e^(−0.3/0.04) ≈ 5e-4: nothing left of the transient
                }

                output[k] += (float)(amplitude * bout.Intensity * Math.Exp(-since / 0.04) * Math.Sin(2 * Math.PI * 6 * since));
            }
        }
    }

    private void ApplyLeadOffs(long blockStart, float[] output)
    {
        var t0 = blockStart / _sampleRateHz;
        var t1 = (blockStart + _blockLength) / _sampleRateHz;
        foreach (var l in _leadOffs)
        {
            if (l.Start >= t1)
            {
                break;
            }

            if (l.End < t0)
            {
                continue;
            }

            var value = l.Mode switch
            {
                LeadOffMode.Flat => (float)l.FlatMillivolts,
                LeadOffMode.RailedHigh => (float)_parameters.FullScaleMillivolts,
                _ => (float)-_parameters.FullScaleMillivolts,
            };
            for (var k = 0; k < _blockLength; k++)
            {
                var t = (blockStart + k) / _sampleRateHz;
                if (t >= l.Start && t < l.End)
                {
                    output[k] = value;
                }
            }
        }
    }

    private static double BurstShape(IReadOnlyList<CycleBurst> bursts, double phase)
    {
        // A small tonic floor between bursts (muscles are seldom fully silent in gait), plus Gaussian bursts.
        var value = 0.04;
        foreach (var b in bursts)
        {
            var d = Math.Abs(phase - b.Centre);
            d = Math.Min(d, 1 - d);
            value += b.Weight * Math.Exp(-0.5 * (d / b.Width) * (d / b.Width));
        }

        return Math.Min(value, 1);
    }

    private static double Smooth(double x) => x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - (2 * x));

    private sealed class ProdromeUnit(int unit, double start, double end, double ratePps)
    {
        public int Unit { get; } = unit;

        public double Start { get; } = start;

        public double End { get; } = end;

        public double RatePps { get; } = ratePps;

        public float Scale { get; set; } = 1;

        public double Next { get; set; }
    }
}
