namespace CrampSense.Coaching;

/// <summary>The text keys other than the per-muscle stretch keys (<see cref="CoachTexts.StretchKey"/>).</summary>
internal static class TextKeys
{
    public const string AftercareTitle = "aftercare.title";
    public const string AftercareText = "aftercare.text";
    public const string AftercareExerciseTitle = "aftercare.exercise.title";
    public const string AftercareExerciseText = "aftercare.exercise.text";
    public const string RestTitle = "rest.title";
    public const string RestText = "rest.text";
    public const string HydrateExerciseTitle = "hydrate.exercise.title";
    public const string HydrateExerciseText = "hydrate.exercise.text";
    public const string HydrateExerciseHotTitle = "hydrate.exercise_hot.title";
    public const string HydrateExerciseHotText = "hydrate.exercise_hot.text";
    public const string HydrateAfterExerciseTitle = "hydrate.after_exercise.title";
    public const string HydrateAfterExerciseText = "hydrate.after_exercise.text";
    public const string BedtimeTitle = "bedtime_stretch.title";
    public const string BedtimeText = "bedtime_stretch.text";
    public const string SeeDoctorTitle = "see_doctor.title";
    public const string SeeDoctorFrequentText = "see_doctor.frequent.text";
    public const string SeeDoctorLongText = "see_doctor.long.text";
    public const string SeeDoctorWeaknessText = "see_doctor.weakness.text";
    public const string SeeDoctorCausesText = "see_doctor.causes.text";
}
