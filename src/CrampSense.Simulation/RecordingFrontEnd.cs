using CrampSense.Simulation.Physiology;

namespace CrampSense.Simulation;

/// <summary>
/// The acquisition chain of one recording, common to its sites: mains hum (frequency, drift, harmonics), the ADC's
/// resolution, the accelerometer's rate and noise and whether skin temperature is measured. Per-site parts of the
/// front end (gain, full scale, DC offset, noise floor) are in <see cref="SiteParameters"/>.
/// The defaults are the fixed front end every recording had before randomisation existed.
/// </summary>
public sealed record RecordingFrontEnd
{
    /// <summary>Nominal mains frequency, Hz (50 or 60).</summary>
    public double MainsHz { get; init; } = 50;

    /// <summary>Peak deviation of the mains frequency from nominal, Hz (grids drift by up to about ±0.5 Hz).</summary>
    public double MainsDriftHz { get; init; }

    /// <summary>Period of the (sinusoidal) mains-frequency drift, s.</summary>
    public double MainsDriftPeriodSeconds { get; init; } = 600;

    /// <summary>Third-harmonic amplitude relative to the fundamental.</summary>
    public double ThirdHarmonicFraction { get; init; } = 0.3;

    /// <summary>Fifth-harmonic amplitude relative to the fundamental.</summary>
    public double FifthHarmonicFraction { get; init; } = 0.12;

    /// <summary>ADC resolution in bits (10 = MCP3008, 12 = MCP3208); 0 = not quantised.</summary>
    public int AdcBits { get; init; }

    /// <summary>Accelerometer rows per second; 0 = on every EMG row.</summary>
    public double AccelerationRateHz { get; init; } = 50;

    /// <summary>Accelerometer noise, g RMS per axis (MEMS parts: a few mg).</summary>
    public double AccelerationNoiseG { get; init; } = 0.008;

    /// <summary>Whether the recording has a skin-temperature column.</summary>
    public bool HasSkinTemperature { get; init; } = true;

    /// <summary>Sum of the squared relative amplitudes of the hum's components (half of it is the hum's power for a unit fundamental).</summary>
    internal double HumSquaredAmplitudeSum => 1 + (ThirdHarmonicFraction * ThirdHarmonicFraction) + (FifthHarmonicFraction * FifthHarmonicFraction);

    /// <summary>The front end of a request that is not randomised: today's fixed chain.</summary>
    internal static RecordingFrontEnd Fixed(double mainsHz) => new() { MainsHz = mainsHz };
}

/// <summary>
/// Wide, seeded randomisation of a recording's front end and of each site's spectrum, gain and floor, so a
/// detector cannot lean on one amplifier, electrode or subject (issue 12). Ranges:
/// noise floor 2–20 µV RMS (log-uniform); cramp-level RMS (the RMS at the weakest cramp excitation
/// <see cref="NominalCrampExcitation"/>) 0.03–3 mV at 3–100× the floor; median frequency 40–150 Hz; hum
/// 0–60 µV with 3rd and 5th harmonics and ±0–0.5 Hz drift; 10- or 12-bit ADC whose full scale sits 2.5–20× the
/// cramp-level RMS (so the strongest contractions clip) but never lets a step exceed the floor; DC offsets up to a
/// quarter of full scale; accelerometer at 50 Hz, 100 Hz or every EMG row with 2–30 mg noise; skin temperature in
/// 60 % of recordings. All are model choices spanning the front ends of issue 11.
/// </summary>
internal static class FrontEndRandomisation
{
    /// <summary>
    /// Excitation at which the cramp-level RMS is defined: the weakest planned cramp intensity (cramps start at
    /// 0.2–0.35 and rise to at most 0.9), so every cramp plateau is at least the drawn 3–100× the floor.
    /// </summary>
    public const double NominalCrampExcitation = 0.2;

    public const double MinimumFloorMicrovolts = 2;
    public const double MaximumFloorMicrovolts = 20;
    public const double MinimumCrampRmsMillivolts = 0.03;
    public const double MaximumCrampRmsMillivolts = 3;
    public const double MinimumCrampToFloor = 3;
    public const double MaximumCrampToFloor = 100;
    public const double MinimumMedianFrequencyHz = 40;
    public const double MaximumMedianFrequencyHz = 150;
    public const double MaximumHumMicrovolts = 60;
    public const double MaximumMainsDriftHz = 0.5;

    /// <summary>Cramp onset ramps of randomised recordings, s (issue 11: onsets ramping over 0.05–1 s).</summary>
    public const double MinimumOnsetRampSeconds = 0.05;

    /// <inheritdoc cref="MinimumOnsetRampSeconds"/>
    public const double MaximumOnsetRampSeconds = 1;

    /// <summary>Reference median frequency of the motor-unit engine at width factor 1.2 over fat widening (measured 78–90 Hz, README).</summary>
    private const double MotorUnitReferenceMedianHz = 84;

    /// <summary>Draws a randomised front end and re-draws the subject's per-site front-end and spectral properties.</summary>
    public static (RecordingFrontEnd FrontEnd, SubjectParameters Subject, double HumMicrovolts) Draw(SubjectParameters subject, double mainsHz, SimulationRandom random)
    {
        var bits = random.Chance(0.5) ? 10 : 12;
        var accelerationPick = random.NextInt(3);
        var frontEnd = new RecordingFrontEnd
        {
            MainsHz = mainsHz,
            MainsDriftHz = random.Uniform(0, MaximumMainsDriftHz),
            MainsDriftPeriodSeconds = random.Uniform(60, 900),
            ThirdHarmonicFraction = random.Uniform(0, 0.6),
            FifthHarmonicFraction = random.Uniform(0, 0.4),
            AdcBits = bits,
            AccelerationRateHz = accelerationPick switch { 0 => 50, 1 => 100, _ => 0 },
            AccelerationNoiseG = random.LogUniform(0.002, 0.03),
            HasSkinTemperature = random.Chance(0.6),
        };
        var hum = random.Uniform(0, MaximumHumMicrovolts);

        var sites = new List<SiteParameters>(subject.Sites.Count);
        foreach (var s in subject.Sites)
        {
            var floor = random.LogUniform(MinimumFloorMicrovolts, MaximumFloorMicrovolts);

            // The ratio range is narrowed so the cramp-level RMS stays inside 0.03–3 mV for this floor.
            var ratio = random.LogUniform(Math.Max(MinimumCrampToFloor, MinimumCrampRmsMillivolts * 1000 / floor), Math.Min(MaximumCrampToFloor, MaximumCrampRmsMillivolts * 1000 / floor));
            var crampRms = floor * ratio / 1000;
            var gain = crampRms / (s.MaximalRmsMillivolts * NominalCrampExcitation);

            // Full scale: the gain of the channel's amplifier is set for its signal, 2.5–20× the cramp RMS, but an
            // ADC step may not exceed the floor (a 10-bit converter then clips strong cramps more often).
            var fullScale = Math.Min(crampRms * random.LogUniform(2.5, 20), floor / 1000 * (1 << (bits - 1)));
            var median = random.Uniform(MinimumMedianFrequencyHz, MaximumMedianFrequencyHz);
            var fatWidening = 1 + (PhysiologyConstants.MuapWidthPerFatMillimetre * s.FatMillimetres);
            sites.Add(s with
            {
                // Noise and hum are added at the electrodes and then amplified: divide by the gain so the
                // recorded floor and hum land in their ranges.
                NoiseMicrovolts = floor / gain,
                HumCoupling = random.Uniform(0.5, 1) / gain,
                GainFactor = gain,
                FullScaleMillivolts = fullScale,
                DcOffsetMillivolts = random.Uniform(-0.25, 0.25) * fullScale,
                MedianFrequencyHz = median,

                // The motor-unit engine reaches its median through the potentials' duration (approximately, as
                // median ∝ 1 / duration); the stochastic engine designs its spectrum for the median exactly.
                MuapWidthFactor = MotorUnitReferenceMedianHz / median * (1.2 / fatWidening),
            });
        }

        return (frontEnd, subject with { Sites = sites }, hum);
    }
}
