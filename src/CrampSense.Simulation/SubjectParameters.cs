using CrampSense.Simulation.Physiology;

namespace CrampSense.Simulation;

/// <summary>The simulated person, drawn from the seed: skin and electrode properties per site.</summary>
/// <param name="BaselineSkinCelsius">Skin temperature at rest in a comfortable room, °C.</param>
/// <param name="VoluntaryIsiCv">Interspike-interval variability of this person's voluntary firing (0.1–0.2).</param>
/// <param name="Sites">One entry per EMG site, in layout order.</param>
public sealed record SubjectParameters(double BaselineSkinCelsius, double VoluntaryIsiCv, IReadOnlyList<SiteParameters> Sites);

/// <summary>Tissue and electrode properties of one EMG site.</summary>
/// <param name="Site">Site name (layout column <c>emg.&lt;site&gt;</c>).</param>
/// <param name="FatMillimetres">Subcutaneous fat under the electrode: a low-pass that lowers amplitude and median frequency.</param>
/// <param name="PlacementFactor">Amplitude factor of the electrode position relative to the ideal SENIAM spot (≤ 1).</param>
/// <param name="GainFactor">Error of the front-end gain (1 = exact).</param>
/// <param name="NoiseMicrovolts">Electrode and amplifier noise, µV RMS.</param>
/// <param name="MaximalRmsMillivolts">RMS of a maximal voluntary contraction at this electrode, mV (after fat and placement).</param>
/// <param name="CrosstalkFraction">Fraction of each other site's muscle signal picked up here.</param>
/// <param name="HumCoupling">Relative pick-up of mains hum (electrode impedance, cable routing).</param>
/// <param name="MuapWidthFactor">Individual duration of the motor-unit potentials (fibre diameter, conduction velocity).</param>
/// <param name="StepArtifactMicrovolts">Low-frequency cable/skin artifact at each heel strike when walking (µV; doubled running).</param>
/// <param name="MotorUnitCount">Motor units under the electrode.</param>
/// <param name="MuapAmplitudeRange">Ratio of the largest to the smallest unit's surface potential.</param>
public sealed record SiteParameters(
    string Site,
    double FatMillimetres,
    double PlacementFactor,
    double GainFactor,
    double NoiseMicrovolts,
    double MaximalRmsMillivolts,
    double CrosstalkFraction,
    double HumCoupling,
    double MuapWidthFactor,
    double StepArtifactMicrovolts,
    int MotorUnitCount,
    double MuapAmplitudeRange)
{
    /// <summary>Full scale of this channel's ADC referred to the electrodes, ± mV: the signal clips there and lead-offs rail there.</summary>
    public double FullScaleMillivolts { get; init; } = PhysiologyConstants.RailMillivolts;

    /// <summary>DC offset of the channel after the amplifier, mV (before clipping and quantisation).</summary>
    public double DcOffsetMillivolts { get; init; }

    /// <summary>Median frequency the muscle signal is made for, Hz; 0 = the engine's own draw (randomised front ends set it).</summary>
    public double MedianFrequencyHz { get; init; }
}
