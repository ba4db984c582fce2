namespace CrampSense.Detection;

/// <summary>
/// Four-class view of one window on one site, derived from the two <see cref="WindowScores"/> and the activity state
/// (<see cref="WindowScores.ToClassProbabilities"/>): telemetry and the confidence read it. A fixed-size value, so a window assessment
/// can be filled at every hop without allocating.
/// </summary>
/// <param name="Rest">Probability of <see cref="ActivityClass.Rest"/>, 0–1.</param>
/// <param name="Voluntary">Probability of <see cref="ActivityClass.Voluntary"/>, 0–1.</param>
/// <param name="Cramp">Probability of <see cref="ActivityClass.Cramp"/>, 0–1.</param>
/// <param name="Artifact">Probability of <see cref="ActivityClass.Artifact"/>, 0–1.</param>
public readonly record struct ClassProbabilities(float Rest, float Voluntary, float Cramp, float Artifact)
{
    /// <summary>Number of classes.</summary>
    public const int ClassCount = 4;

    /// <summary>A window the model was not run on (all NaN): see <see cref="Model.CrampDetectorOptions.ScoreEveryWindow"/>.</summary>
    public static readonly ClassProbabilities NotScored = new(float.NaN, float.NaN, float.NaN, float.NaN);

    /// <summary>False for <see cref="NotScored"/>.</summary>
    public bool IsScored => !float.IsNaN(Cramp);

    /// <summary>The probability of <paramref name="activityClass"/>.</summary>
    public float this[ActivityClass activityClass] => activityClass switch
    {
        ActivityClass.Rest => Rest,
        ActivityClass.Voluntary => Voluntary,
        ActivityClass.Cramp => Cramp,
        ActivityClass.Artifact => Artifact,
        _ => throw new ArgumentOutOfRangeException(nameof(activityClass), activityClass, "Unknown activity class."),
    };
}
