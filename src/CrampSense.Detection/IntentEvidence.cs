namespace CrampSense.Detection;

/// <summary>
/// Context that shows a contraction is intended: the only evidence that can make a sustained, clean muscle
/// contraction "voluntary" rather than a cramp. Shape and spectrum are deliberately not among them: the literature
/// gives no spectral marker of a cramp (Roeleveld 2000 and Minetto 2009 contradict each other), while EMG plus motion
/// separates voluntary from involuntary contraction (AUC 0.94, Lonini 2017) and a cramp stays in one muscle while its
/// synergists are silent (Ross &amp; Thomas 1995; Khan &amp; Burne 2007); a cramp is sustained, repetitions let go and
/// start again (issue 12: "a rhythmic burst pattern"). See docs/detector.md.
/// </summary>
[Flags]
public enum IntentEvidence
{
    /// <summary>No evidence of intent.</summary>
    None = 0,

    /// <summary>The accelerometer moved (motion energy above its noise: walking, running, cycling, reaching) within the last second.</summary>
    Motion = 1,

    /// <summary>The limb's orientation to gravity changed (standing up, rising on tiptoes, turning over).</summary>
    PostureChange = 4,

    /// <summary>Another site became active too (co-contraction of antagonists or synergists).</summary>
    Coactivation = 8,

    /// <summary>
    /// The site's own envelope is in a rhythmic series of bursts that each let go (repetitions of a movement), or its
    /// current burst is modulated at a stride or pedalling cadence (<see cref="CrampSense.Signals.Features.BurstRhythmDetector"/>);
    /// a contraction that begins on its schedule is the next repetition, and one that carries the cadence is gait, not a cramp.
    /// </summary>
    Rhythm = 16,

    /// <summary>
    /// The wearer said they are exercising until a time (a feedback command): holds and stretches then are intended.
    /// Nothing in the signal makes it; <see cref="Model.CrampDetector.DeclareExercise"/> does.
    /// </summary>
    Declared = 32,

    /// <summary>
    /// The contraction matches one of the wearer's own habits (<see cref="Calibration.PersonalHabit"/>, learnt from clips
    /// the wearer rejected): personal evidence of intent, from the wearer's answers rather than the sensors. Unlike the
    /// others it lapses once the contraction outlasts the habit's holds (<see cref="Calibration.PersonalHabit.ConfirmAfterSeconds"/>).
    /// </summary>
    Habit = 64,
}
