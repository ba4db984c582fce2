namespace CrampSense.Simulation.Physiology;

/// <summary>
/// Physiology numbers the simulator is built on, each with its source. "cramp-science" refers to the
/// project's research notes (shared/research/cramp-science.md), which quote the primary sources named here.
/// Values marked "model choice" are not from a source: they are set so that the outputs land in the
/// sourced ranges (for example the voluntary median frequency of Krivickas et al. 1998).
/// </summary>
internal static class PhysiologyConstants
{
    // ---- Voluntary motor-unit pool (Fuglevand, Winter & Patla, J Neurophysiol 1993;70:2470) ----

    /// <summary>Ratio of the highest to the lowest recruitment threshold (RR = 30 in Fuglevand 1993).</summary>
    public const double RecruitmentRange = 30;

    /// <summary>Excitation (fraction of maximum) at which the last unit is recruited. Model choice; Fuglevand
    /// 1993 recruits the whole pool well below maximal excitation.</summary>
    public const double FullRecruitmentExcitation = 0.7;

    /// <summary>Minimum (recruitment) firing rate, 8 pps (Fuglevand 1993).</summary>
    public const double VoluntaryMinimumRatePps = 8;

    /// <summary>Peak firing rate of the first-recruited unit, 35 pps (Fuglevand 1993, PFR1).</summary>
    public const double FirstUnitPeakRatePps = 35;

    /// <summary>Peak firing rate of the last-recruited unit, 25 pps (Fuglevand 1993, PFR1 − PFRD).</summary>
    public const double LastUnitPeakRatePps = 25;

    /// <summary>Firing-rate gain in pps per unit of normalised excitation. Model choice: lets low-threshold
    /// units reach their peak rate near 70 % excitation, as in Fuglevand 1993 Fig. 3.</summary>
    public const double VoluntaryRateGainPps = 40;

    /// <summary>ISI coefficient of variation of voluntary firing, 0.15 (Fuglevand 1993 used 0.1–0.2).</summary>
    public const double VoluntaryIsiCv = 0.15;

    /// <summary>Number of motor units seen by one electrode, drawn per site. Model choice within the 100–300
    /// range of the brief (Fuglevand 1993 simulated 120), kept low enough that hours of 4-site data are cheap.</summary>
    public const int MinimumUnitsPerSite = 100;

    /// <inheritdoc cref="MinimumUnitsPerSite"/>
    public const int MaximumUnitsPerSite = 220;

    /// <summary>Ratio of the largest to the smallest surface MUAP peak amplitude, drawn per site. Model choice
    /// (Fuglevand 1993 spread twitch force 100-fold; surface potentials spread less because of depth).</summary>
    public const double MinimumMuapAmplitudeRange = 10;

    /// <inheritdoc cref="MinimumMuapAmplitudeRange"/>
    public const double MaximumMuapAmplitudeRange = 30;

    /// <summary>Hermite–Rodriguez time scale of the smallest unit under thin skin, in seconds. Model choice,
    /// set so that voluntary EMG has a median frequency of about 90–120 Hz (Krivickas et al., J Clin Neurophysiol
    /// 1998;15:138: tibialis anterior 116 ± 20 Hz, biceps 90 ± 18 Hz at 50 % MVC).</summary>
    public const double MuapBaseTimeScaleSeconds = 0.0018;

    /// <summary>How much wider the largest unit's potential is than the smallest's (duration grows with size).
    /// Model choice.</summary>
    public const double MuapWidthGrowthWithSize = 0.35;

    /// <summary>Widening of the potential per millimetre of subcutaneous fat (tissue acts as a spatial
    /// low-pass filter, lowering the median frequency). Model choice.</summary>
    public const double MuapWidthPerFatMillimetre = 0.02;

    /// <summary>Depth over which subcutaneous fat attenuates surface amplitude e-fold, in mm. Model choice.</summary>
    public const double FatAttenuationMillimetres = 15;

    // ---- Cramp discharge (Minetto, Holobar, Botter & Farina, J Neurophysiol 2009;102:1890; cramp-science §1) ----

    /// <summary>Minimum cramp discharge rate, 6.0 ± 0.8 pps (Minetto 2009).</summary>
    public const double CrampMinimumRatePps = 6.0;

    /// <summary>Maximum cramp discharge rate, 25.0 ± 8.0 pps (Minetto 2009).</summary>
    public const double CrampPeakRatePps = 25.0;

    /// <summary>Rate gain of cramp discharge per unit excitation above threshold. Model choice giving a pool
    /// mean near 14.5 ± 5.1 pps (Minetto 2009).</summary>
    public const double CrampRateGainPps = 30;

    /// <summary>ISI CV of cramp discharge, 44.6 ± 9.7 % (Minetto 2009). The gamma ISI CV is set a little lower
    /// because the doublets below add short intervals that raise the measured CV.</summary>
    public const double CrampIsiCv = 0.446;

    /// <summary>Spread of the ISI CV between cramps (± 9.7 %, Minetto 2009).</summary>
    public const double CrampIsiCvSpread = 0.097;

    /// <summary>CV of the gamma-distributed ISIs as a share of the target CV, before doublets are added.
    /// Model choice (see <see cref="CrampIsiCv"/>).</summary>
    public const double CrampGammaCvShare = 0.9;

    /// <summary>Fraction of cramp discharges that are doublets, 4.1 ± 4.7 % (Minetto 2009).</summary>
    public const double CrampDoubletFraction = 0.041;

    /// <summary>Frequency of the common-drive coherence peak in cramp, ~1.4 Hz (Minetto 2009).</summary>
    public const double CrampCommonDriveHz = 1.4;

    /// <summary>Widening of potentials (spectral compression) reached by the end of a cramp, growing with its
    /// intensity. Above-threshold cramps show larger amplitude and a compressed spectrum (Minetto et al.,
    /// Neurophysiol Clin 2009;39:15); the size is a model choice (median frequency falls by ~15 % over a cramp).
    /// Roeleveld et al. 2000 saw shorter potentials in cramp than at MVC, so a cramp starts at the voluntary spectrum.</summary>
    public const double CrampSpectralCompression = 0.2;

    /// <summary>Shortest cramp, 5 s (brief of the project: cramps last 5 s to 10 min).</summary>
    public const double CrampMinimumSeconds = 5;

    /// <summary>Longest cramp, 10 min: "seconds to maximum 10 minutes" (Hallegraeff et al., BMC Fam Pract 2017).</summary>
    public const double CrampMaximumSeconds = 600;

    // ---- Prodrome (Chaney & Sherman pilot study; cramp-science §1) ----

    /// <summary>Calf sEMG rose on average 41 s (SD 11) before waking with the cramp (Chaney &amp; Sherman).</summary>
    public const double ProdromeMinimumSeconds = 30;

    /// <inheritdoc cref="ProdromeMinimumSeconds"/>
    public const double ProdromeMaximumSeconds = 52;

    /// <summary>Envelope increase over baseline in the prodrome: mean 217 %, range 100–500 % (Chaney &amp; Sherman).</summary>
    public const double ProdromeMinimumIncrease = 1.0;

    /// <inheritdoc cref="ProdromeMinimumIncrease"/>
    public const double ProdromeMaximumIncrease = 5.0;

    // ---- Stretch ending (Bertolasi et al., Ann Neurol 1993;33:176; Ross & Thomas, Brain 1995;118:983) ----

    /// <summary>Stretching interrupts a cramp (Bertolasi 1993); forced stretch first raises activity in all
    /// triceps surae muscles (Ross &amp; Thomas 1995), so the end is a short burst then silence. Burst length
    /// is a model choice.</summary>
    public const double StretchBurstMinimumSeconds = 0.3;

    /// <inheritdoc cref="StretchBurstMinimumSeconds"/>
    public const double StretchBurstMaximumSeconds = 0.8;

    // ---- Fasciculations (cramp-science §1) ----

    /// <summary>Mean interval between fasciculation potentials at one site, seconds. High-density sEMG needed
    /// up to 70 s to catch one benign fasciculation (J NeuroEng Rehabil 2012;9:78); we draw 40–120 s.</summary>
    public const double FasciculationMinimumIntervalSeconds = 40;

    /// <inheritdoc cref="FasciculationMinimumIntervalSeconds"/>
    public const double FasciculationMaximumIntervalSeconds = 120;

    // ---- Temperature (PMC5481952: cold immersion lowered mean power frequency) ----

    /// <summary>Relative widening of potentials per °C of skin below 33 °C. The source shows the direction
    /// (cold lowers EMG frequency); the slope is a model choice (~2.5 %/°C, the order of conduction-velocity
    /// change with temperature).</summary>
    public const double MuapWidthPerDegreeCold = 0.025;

    /// <summary>Skin temperature above which no cold slowing is applied, °C. Model choice.</summary>
    public const double ThermoneutralSkinCelsius = 33;

    // ---- Exercise-associated cramp sites (161-km ultramarathon, PMC4532703): calf 54 %, quadriceps 44 %, hamstrings 33 % ----

    public const double ExerciseCrampWeightCalf = 0.54;
    public const double ExerciseCrampWeightQuadriceps = 0.44;
    public const double ExerciseCrampWeightHamstring = 0.33;

    // ---- Fatigue (Krivickas 1998: median frequency falls during fatigue) ----

    /// <summary>Widening of potentials after 30 min of continuous effort. Model choice.</summary>
    public const double FatigueWidening = 0.10;

    // ---- Acquisition (cramp-science §2) ----

    /// <summary>Electrode + amplifier noise, µV RMS. A lab amplifier quotes &lt; 1 µV; skin electrodes add more
    /// (no authoritative number found, cramp-science §2); we draw 1.5–5 µV.</summary>
    public const double NoiseMinimumMicrovolts = 1.5;

    /// <inheritdoc cref="NoiseMinimumMicrovolts"/>
    public const double NoiseMaximumMicrovolts = 5;

    /// <summary>Rail at the electrodes in mV: MCP3008 10-bit ADC at Vref 3.3 V biased to mid-scale
    /// (MCP3008 datasheet, DS21295, §4.1: 0..Vref input range) after a front-end gain of 1000
    /// (≥ 500–1000 advised by Konrad's ABC of EMG, cramp-science §2): ±1.65 V / 1000.</summary>
    public const double RailMillivolts = 1.65;

    /// <summary>Raw sEMG spans a few µV to 2–3 mV (Konrad, cramp-science §2); maximal voluntary RMS under thin
    /// skin is drawn in this range (mV), before fat attenuation and placement.</summary>
    public const double MvcRmsMinimumMillivolts = 0.6;

    /// <inheritdoc cref="MvcRmsMinimumMillivolts"/>
    public const double MvcRmsMaximumMillivolts = 1.5;

    // ---- The product's rule (what the plan must respect so its labels follow it) ----

    /// <summary>
    /// Seconds with no motion, gait, posture change or co-activation planned before a cramp's onset. The rule:
    /// a cramp is a sustained contraction without evidence of intent around its onset; the detector looks back
    /// 5 s for motion context (ModelFeatureBuilder.HasMotionContext), so the plan keeps a margin (model choice).
    /// </summary>
    public const double QuietBeforeCrampSeconds = 8;

    /// <summary>Longest short contraction, s: below the rule's 5-s cramp minimum with a margin (short contractions are &lt; 4.8 s).</summary>
    public const double ShortContractionMaximumSeconds = 4.5;

    /// <summary>Smallest posture change of a voluntary hold, degrees: the detector's posture-change evidence is ≥ 20° within 5 s.</summary>
    public const double IntentPostureChangeDegrees = 25;
}
