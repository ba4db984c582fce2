namespace CrampSense.Detection;

/// <summary>
/// The model's class probabilities for one window on one site. A fixed-size value, so a window assessment
/// can be filled at every hop without allocating.
/// </summary>
/// <param name="Rest">Probability of <see cref="ActivityClass.Rest"/>, 0–1.</param>
/// <param name="Voluntary">Probability of <see cref="ActivityClass.Voluntary"/>, 0–1.</param>
/// <param name="Cramp">Probability of <see cref="ActivityClass.Cramp"/>, 0–1.</param>
/// <param name="Artifact">Probability of <see cref="ActivityClass.Artifact"/>, 0–1.</param>
public readonly record struct ClassProbabilities(float Rest, float Voluntary, float Cramp, float Artifact)
{
    /// <summary>Number of classes (the length <see cref="FromScores"/> expects).</summary>
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

    /// <summary>
    /// Reads probabilities laid out in <see cref="ActivityClass"/> order (rest, voluntary, cramp, artifact),
    /// for example a model's score vector after it has been put in that order.
    /// </summary>
    public static ClassProbabilities FromScores(ReadOnlySpan<float> scores)
    {
        if (scores.Length != ClassCount)
        {
            throw new ArgumentException($"Expected {ClassCount} scores (rest, voluntary, cramp, artifact), got {scores.Length}.", nameof(scores));
        }

        return new ClassProbabilities(
            scores[(int)ActivityClass.Rest],
            scores[(int)ActivityClass.Voluntary],
            scores[(int)ActivityClass.Cramp],
            scores[(int)ActivityClass.Artifact]);
    }
}
