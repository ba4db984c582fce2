using System.Globalization;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation.Physiology;
using CrampSense.Simulation.Planning;

namespace CrampSense.Simulation;

/// <summary>
/// Entry point of the physiological simulator: plans a scenario for a seeded subject and returns a recording
/// that renders its frames on demand.
/// </summary>
/// <example>
/// <code>
/// var recording = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 7, Duration = TimeSpan.FromMinutes(30) });
/// var frame = recording.Layout.CreateFrame();
/// while (recording.TryReadFrame(frame)) { /* write the row */ }
/// // recording.Truth holds the ground-truth intervals (known before the first frame).
/// </code>
/// </example>
public static class Simulator
{
    /// <summary>Version of the simulation model, written into the recording metadata.</summary>
    public const string ModelVersion = "crampsense-sim/1";

    /// <summary>Plans the request and returns the recording, ready to stream.</summary>
    /// <exception cref="ArgumentException">The request is invalid; the message lists every problem by option.</exception>
    public static SimulatedRecording Start(SimulationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(request));
        }

        var entry = ScenarioCatalog.Find(request.Scenario)!;
        var description = entry.Description;
        var sites = request.Sites ?? description.DefaultSites;
        var duration = (request.Duration ?? description.DefaultDuration).TotalSeconds;

        var wearer = request.WearerSeed ?? request.Seed;
        var subject = DrawSubject(sites, SimulationRandom.ForStream(wearer, 1));
        var frontEnd = RecordingFrontEnd.Fixed(request.MainsFrequencyHz);
        double? randomisedHum = null;
        var randomised = request.IsFrontEndRandomised;
        if (randomised)
        {
            // A stream of its own, so the subject and the plan of a seed are the same with and without randomisation.
            (frontEnd, subject, randomisedHum) = FrontEndRandomisation.Draw(subject, request.MainsFrequencyHz, SimulationRandom.ForStream(wearer, 5));
        }

        var builder = new PlanBuilder(sites, duration, SimulationRandom.ForStream(request.Seed, 2))
        {
            // A stream of its own: drawing the habit shifts no other draw of a seed.
            Habit = VoluntaryHabit.Draw(sites.Count, SimulationRandom.ForStream(wearer, 6)),
        };
        if (randomised)
        {
            builder.CrampOnsetRamp = (FrontEndRandomisation.MinimumOnsetRampSeconds, FrontEndRandomisation.MaximumOnsetRampSeconds);
        }

        builder.SetFasciculations(SimulationRandom.ForStream(request.Seed, 3).Uniform(PhysiologyConstants.FasciculationMinimumIntervalSeconds, PhysiologyConstants.FasciculationMaximumIntervalSeconds));
        if (description.Name is "sleep" or "night-cramp")
        {
            // Under a blanket the calf skin is warmer (model choice, +1 °C).
            builder.Plan.SkinOffsetCelsius = 1;
        }

        entry.Planner(builder, 0, duration);
        var nuisances = ResolvedNuisances.Resolve(entry.DefaultNuisances, request.Nuisances, SimulationRandom.ForStream(request.Seed, 4));
        if (randomisedHum is { } hum && request.Nuisances?.HumMicrovolts is null)
        {
            nuisances = nuisances with { HumMicrovolts = hum };
        }

        NuisancePlanner.Add(builder, nuisances);
        var plan = builder.Plan;
        plan.Artifacts.Sort((a, b) => a.Start.CompareTo(b.Start));
        plan.Postures.Sort((a, b) => a.Time.CompareTo(b.Time));

        var layout = new RecordingLayout(request.SampleRateHz, sites, hasSkinTemperature: frontEnd.HasSkinTemperature, hasAcceleration: true, Metadata(request, description, duration, subject, nuisances, randomised ? frontEnd : null, description.Name == "habit-holds" ? builder.Habit : null));
        return new SimulatedRecording(layout, subject, plan, frontEnd, request.Engine, request.Seed);
    }

    /// <summary>
    /// Draws a subject. Ranges are model choices spanning ordinary adults: calf subcutaneous fat 2–18 mm,
    /// electrodes up to 35 % off the ideal spot, front-end gain ±15–20 %, noise 1.5–5 µV RMS, potentials 15 %
    /// shorter to 20 % longer than the reference (so the median frequency varies between people, not just with fat).
    /// </summary>
    internal static SubjectParameters DrawSubject(IReadOnlyList<string> sites, SimulationRandom random)
    {
        var skin = random.Uniform(31.5, 33.5);

        // Fuglevand 1993 used an ISI CV of 0.2; the brief's range is 0.1–0.2.
        var voluntaryCv = random.Uniform(0.1, 0.2);
        var list = new List<SiteParameters>(sites.Count);
        foreach (var site in sites)
        {
            var fat = random.Uniform(2, 18);
            var placement = random.Uniform(0.65, 1.0);
            var reference = random.Uniform(PhysiologyConstants.MvcRmsMinimumMillivolts, PhysiologyConstants.MvcRmsMaximumMillivolts);
            list.Add(new SiteParameters(
                site,
                FatMillimetres: fat,
                PlacementFactor: placement,
                GainFactor: random.Uniform(0.85, 1.2),
                NoiseMicrovolts: random.Uniform(PhysiologyConstants.NoiseMinimumMicrovolts, PhysiologyConstants.NoiseMaximumMicrovolts),
                MaximalRmsMillivolts: reference * Math.Exp(-fat / PhysiologyConstants.FatAttenuationMillimetres) * placement,
                CrosstalkFraction: random.Uniform(0.005, 0.02),
                HumCoupling: random.Uniform(0.5, 1.5),
                MuapWidthFactor: random.Uniform(0.85, 1.2),
                StepArtifactMicrovolts: random.Uniform(0, 50),
                MotorUnitCount: PhysiologyConstants.MinimumUnitsPerSite + random.NextInt(PhysiologyConstants.MaximumUnitsPerSite - PhysiologyConstants.MinimumUnitsPerSite + 1),
                MuapAmplitudeRange: random.Uniform(PhysiologyConstants.MinimumMuapAmplitudeRange, PhysiologyConstants.MaximumMuapAmplitudeRange)));
        }

        return new SubjectParameters(skin, voluntaryCv, list);
    }

    private static Dictionary<string, string> Metadata(SimulationRequest request, ScenarioDescription scenario, double duration, SubjectParameters subject, ResolvedNuisances nuisances, RecordingFrontEnd? randomisedFrontEnd, VoluntaryHabit? habit)
    {
        static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = ModelVersion,
            ["engine"] = SimulationEngines.Name(request.Engine),
            ["scenario"] = scenario.Name,
            ["seed"] = request.Seed.ToString(CultureInfo.InvariantCulture),
            ["duration_s"] = F(duration),
            ["mains_hz"] = F(request.MainsFrequencyHz),

            // The simulated ADC's rails (RecordingFullScale): the quality monitor then judges clipping against them.
            [RecordingFullScale.Key] = F(PhysiologyConstants.RailMillivolts),
            ["subject.skin_c"] = F(subject.BaselineSkinCelsius),
            ["subject.voluntary_isi_cv"] = F(subject.VoluntaryIsiCv),
            ["nuisance.hum_uv"] = F(nuisances.HumMicrovolts),
            ["nuisance.wander_uv"] = F(nuisances.WanderMicrovolts),
            ["nuisance.motion_per_h"] = F(nuisances.MotionPerHour),
            ["nuisance.pops_per_h"] = F(nuisances.PopsPerHour),
            ["nuisance.lead_offs_per_h"] = F(nuisances.LeadOffsPerHour),
            ["nuisance.hum_bursts_per_h"] = F(nuisances.HumBurstsPerHour),
            ["nuisance.dropouts_per_h"] = F(nuisances.DropoutsPerHour),
            ["nuisance.cold_skin"] = nuisances.ColdSkin ? "true" : "false",
        };
        if (request.WearerSeed is { } wearer)
        {
            metadata["wearer_seed"] = wearer.ToString(CultureInfo.InvariantCulture);
        }

        if (habit is not null)
        {
            metadata["habit.site"] = subject.Sites[habit.Site].Site;
            metadata["habit.level"] = F(habit.Level);
            metadata["habit.ramp_s"] = F(habit.RampSeconds);
            metadata["habit.wobble"] = F(habit.Wobble);
            metadata["habit.hold_s"] = F(habit.MinimumSeconds) + "-" + F(habit.MaximumSeconds);
        }

        foreach (var s in subject.Sites)
        {
            var prefix = "subject." + s.Site + ".";
            metadata[prefix + "fat_mm"] = F(s.FatMillimetres);
            metadata[prefix + "placement"] = F(s.PlacementFactor);
            metadata[prefix + "gain"] = F(s.GainFactor);
            metadata[prefix + "noise_uv"] = F(s.NoiseMicrovolts);
            metadata[prefix + "mvc_rms_mv"] = F(s.MaximalRmsMillivolts);
            metadata[prefix + "muap_width"] = F(s.MuapWidthFactor);
            metadata[prefix + "motor_units"] = s.MotorUnitCount.ToString(CultureInfo.InvariantCulture);
            if (randomisedFrontEnd is not null)
            {
                metadata[prefix + "floor_uv"] = F(s.NoiseMicrovolts * s.GainFactor);
                metadata[prefix + "cramp_rms_mv"] = F(s.MaximalRmsMillivolts * FrontEndRandomisation.NominalCrampExcitation * s.GainFactor);
                metadata[prefix + "median_hz"] = F(s.MedianFrequencyHz);
                metadata[prefix + "full_scale_mv"] = F(s.FullScaleMillivolts);

                // The randomised front end puts each site's rails elsewhere: the recording must say where, or the
                // quality monitor judges clipping against rails the signal goes past (the key for every site says 1.65).
                metadata[RecordingFullScale.SiteKey(s.Site)] = F(s.FullScaleMillivolts);
                metadata[prefix + "dc_offset_mv"] = F(s.DcOffsetMillivolts);
            }
        }

        if (randomisedFrontEnd is { } f)
        {
            metadata["front_end"] = "randomised";
            metadata["front_end.mains_drift_hz"] = F(f.MainsDriftHz);
            metadata["front_end.hum_h3"] = F(f.ThirdHarmonicFraction);
            metadata["front_end.hum_h5"] = F(f.FifthHarmonicFraction);
            metadata["front_end.adc_bits"] = f.AdcBits.ToString(CultureInfo.InvariantCulture);
            metadata["front_end.accel_hz"] = f.AccelerationRateHz == 0 ? "every-row" : F(f.AccelerationRateHz);
            metadata["front_end.accel_noise_g"] = F(f.AccelerationNoiseG);
        }

        return metadata;
    }
}
