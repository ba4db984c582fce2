using CrampSense.Signals.Features;

namespace CrampSense.Detection;

/// <summary>
/// Everything the event state machine needs to know about one analysis window on one site: when the window
/// ended, what the model thinks it is, how large the activity is compared with rest, its spectrum, the signal
/// quality and the context. A plain mutable value: the caller keeps one per site and overwrites it at every hop
/// (e.g. every 50 ms), so nothing is allocated.
/// </summary>
public record struct WindowAssessment
{
    /// <summary>
    /// The <see cref="SignalQuality"/> flags <see cref="Faults"/> holds: the signal room's quality flags that make a
    /// window faulty and have a name in events and the contract (<see cref="CrampEvent.FaultNames"/>). One vocabulary
    /// for the signal's faults (issue 15 item 5): the detector reports the signal room's flags, it does not translate
    /// them into an enum of its own. Left out: <see cref="SignalQuality.Saturated"/> (not a fault; see
    /// <see cref="Saturated"/>) and <see cref="SignalQuality.Overdriven"/>, which is only ever set with the
    /// <see cref="SignalQuality.Clipped"/> it refines and is reported as that.
    /// </summary>
    public const SignalQuality ReportedFaults = SignalQuality.Railed | SignalQuality.Flat | SignalQuality.NonFinite
        | SignalQuality.DroppedSamples | SignalQuality.Clipped | SignalQuality.LeadOff | SignalQuality.SpikeTrain
        | SignalQuality.HumBurst;

    /// <summary>End of the window, in seconds from the start of the recording. Must increase from window to window.</summary>
    public double EndSeconds { get; set; }

    /// <summary>
    /// The window model's intent and artifact scores (information only: the decision follows the rule);
    /// <see cref="WindowScores.NotScored"/> on a quiet window at rest the detector skipped.
    /// </summary>
    public WindowScores Scores { get; set; }

    /// <summary>
    /// The four-class view of <see cref="Scores"/> with the activity state (<see cref="WindowScores.ToClassProbabilities"/>):
    /// what telemetry and the events' confidence (mean cramp probability) read; <see cref="ClassProbabilities.NotScored"/>
    /// on a skipped window.
    /// </summary>
    public ClassProbabilities Probabilities { get; set; }

    /// <summary>EMG envelope amplitude over the window, µV.</summary>
    public float EnvelopeMicrovolts { get; set; }

    /// <summary>
    /// The adaptive rest floor (baseline envelope of this site at rest), µV; 0 when not yet known. It should
    /// adapt slowly (minutes), so that a prodrome or a cramp does not lift it.
    /// </summary>
    public float RestFloorMicrovolts { get; set; }

    /// <summary>RMS of the mains hum being removed from the site's EMG at the window's end, µV; 0 without hum.</summary>
    public float HumMicrovolts { get; set; }

    /// <summary>Mean frequency of the window's power spectrum, Hz.</summary>
    public float MeanFrequencyHz { get; set; }

    /// <summary>Median frequency of the window's power spectrum, Hz.</summary>
    public float MedianFrequencyHz { get; set; }

    /// <summary>Signal-quality problems seen in the window (of <see cref="ReportedFaults"/>); <see cref="SignalQuality.None"/> when clean.</summary>
    public SignalQuality Faults { get; set; }

    /// <summary>
    /// The front end saturated on muscle activity in this window (clipping that looks like a strong contraction, see
    /// <see cref="CrampSense.Signals.Features.SignalQuality.Saturated"/>): reported, not a fault, so the window can be active.
    /// </summary>
    public bool Saturated { get; set; }

    /// <summary>True when <see cref="SkinTemperatureCelsius"/> holds a measured value.</summary>
    public bool HasSkinTemperature { get; set; }

    /// <summary>Skin temperature, °C; meaningful only when <see cref="HasSkinTemperature"/>.</summary>
    public float SkinTemperatureCelsius { get; set; }

    /// <summary>
    /// The activity detector (<see cref="CrampSense.Signals.Features.MuscleActivityDetector"/>) says the site is active:
    /// its envelope rose abruptly above the rest floor and has not fallen back. Candidates, dips and ends follow it.
    /// </summary>
    public bool IsActive { get; set; }

    /// <summary>Onset of the current activation, s from the recording start (NaN while not active).</summary>
    public double ActivityOnsetSeconds { get; set; }

    /// <summary>
    /// Set for one window when the recording turned out to have started inside activity on this site that ended at this
    /// time, s (NaN otherwise); the activity began at <see cref="OpeningStartSeconds"/> or earlier.
    /// </summary>
    public double OpeningEndSeconds { get; set; }

    /// <summary>Start of the recording on this site, s; meaningful with <see cref="OpeningEndSeconds"/>.</summary>
    public double OpeningStartSeconds { get; set; }

    /// <summary>Evidence of intent seen in the context of this window (motion, gait, posture change, co-activation).</summary>
    public IntentEvidence Intent { get; set; }

    /// <summary>
    /// True when the body-worn context shows movement (IMU motion, a posture change). Suppresses the
    /// pre-cramp warning.
    /// </summary>
    public readonly bool HasMotionContext => (Intent & (IntentEvidence.Motion | IntentEvidence.PostureChange)) != 0;
}
