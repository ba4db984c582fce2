namespace CrampSense.Detection.Model;

/// <summary>
/// What the detector asks of a window model: the two scores of one window on one site from its
/// <see cref="ModelFeature"/> vector, without allocating. The detector depends on this interface only, so the Pi
/// ships a scorer and no trainer (the training code lives in CrampSense.Training).
/// </summary>
public interface IWindowScorer
{
    /// <summary>Model version for events (e.g. <c>crampsense-detector@</c> and 12 hex digits of the zip's SHA-256).</summary>
    string Version { get; }

    /// <summary>Scores one clean window; <paramref name="features"/> is in <see cref="ModelFeature"/> order.</summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> does not have <see cref="ModelFeatureNames.Count"/> values.</exception>
    WindowScores Score(ReadOnlySpan<float> features);
}
