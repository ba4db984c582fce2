namespace CrampSense.Detection;

/// <summary>
/// The window model's two scores for one window on one site, kept apart by construction (each its own model with its
/// own inputs, <see cref="Model.ScoreFeatures"/>): how much the context says the activity is intended, and how much the
/// signal's shape and spectrum say it is no muscle at all. A fixed-size value, so a window assessment is filled at every
/// hop without allocating. Both inform (events' confidence, <c>replay --windows</c>, telemetry); the cramp decision is
/// the rule's (docs/detector.md).
/// </summary>
/// <param name="Intent">p(voluntary | inside sustained activity), 0–1, from context inputs only (other sites, accelerometer).</param>
/// <param name="Artifact">p(non-muscle signal), 0–1, from the window's shape and spectrum only.</param>
public readonly record struct WindowScores(float Intent, float Artifact)
{
    /// <summary>The scores of a window with a signal-quality fault: it is not scored, and counts as non-muscle.</summary>
    public static WindowScores Faulty { get; } = new(0f, 1f);

    /// <summary>A quiet window at rest the detector did not score (it scores every few; docs/signal-pipeline.md §6.1).</summary>
    public static WindowScores NotScored { get; } = new(float.NaN, float.NaN);

    /// <summary>False for <see cref="NotScored"/>.</summary>
    public bool IsScored => !float.IsNaN(Artifact);

    /// <summary>
    /// The four-class view telemetry and the events' confidence read: artifact = <see cref="Artifact"/>; the rest is
    /// muscle, split by the activity detector into rest (not active) or, while active, voluntary (× <see cref="Intent"/>)
    /// and cramp (× 1 − <see cref="Intent"/>). Derived, not a third model.
    /// </summary>
    /// <param name="active">The activity detector's state for the window.</param>
    public ClassProbabilities ToClassProbabilities(bool active)
    {
        if (!IsScored)
        {
            return ClassProbabilities.NotScored;
        }

        float muscle = 1f - Artifact;
        return active
            ? new ClassProbabilities(0f, muscle * Intent, muscle * (1f - Intent), Artifact)
            : new ClassProbabilities(muscle, 0f, 0f, Artifact);
    }
}
