namespace CrampSense.Detection.Model;

/// <summary>The two scores of the window model (<see cref="WindowScores"/>).</summary>
public enum WindowScoreKind
{
    /// <summary>Voluntary vs involuntary inside sustained activity, from context only.</summary>
    Intent,

    /// <summary>Muscle vs non-muscle signal, from shape and spectrum only.</summary>
    Artifact,
}

/// <summary>
/// The input list of each score: which <see cref="ModelFeature"/>s its model may read. Disjoint by design: the intent
/// score sees only context (other sites, accelerometer, presence flags), so no shape or spectral feature can turn a
/// sustained clean contraction into "voluntary" (issue 12: the literature has no spectral marker of a cramp; context
/// separates voluntary from involuntary, Lonini 2017). A model zip whose intent model lists anything else is refused
/// at load. Documented in models/README.md.
/// </summary>
public static class ScoreFeatures
{
    private static readonly ModelFeature[] s_intent =
    [
        ModelFeature.OtherSitesLogRatio, ModelFeature.OtherSitesLogRatioMean1s, ModelFeature.OtherSitesActiveSeconds,
        ModelFeature.CoactivationCorrelation, ModelFeature.HasOtherSites, ModelFeature.RunOtherSitesActiveFraction,
        ModelFeature.LogMotionEnergy, ModelFeature.LogMotionEnergyMax5s, ModelFeature.RunMotionMax, ModelFeature.LogGaitPower,
        ModelFeature.PostureChange5s, ModelFeature.RunPostureChange, ModelFeature.HasAccelerometer,
    ];

    // The site's own amplitude course over its floor (how spiky, how it peaks) belongs to the signal's shape; how long it
    // has been active and the calibrated % of maximum belong to neither score.
    private static readonly ModelFeature[] s_artifact =
    [
        ModelFeature.LogRatio, ModelFeature.LogRatioSd3s, ModelFeature.LogRatioMax5s,
        ModelFeature.EnvelopeCv, ModelFeature.EnvelopeSlopeRelative, ModelFeature.MeanFrequency, ModelFeature.MedianFrequency,
        ModelFeature.LowBandRatio, ModelFeature.MidBandRatio, ModelFeature.HighBandRatio, ModelFeature.ZeroCrossings,
        ModelFeature.SlopeSignChanges, ModelFeature.WaveformLengthRelative, ModelFeature.TeagerRelative,
    ];

    /// <summary>Context inputs: the only ones the intent score reads.</summary>
    public static IReadOnlyList<ModelFeature> Intent { get; } = Array.AsReadOnly(s_intent);

    /// <summary>Shape and spectral inputs: the only ones the artifact score reads.</summary>
    public static IReadOnlyList<ModelFeature> Artifact { get; } = Array.AsReadOnly(s_artifact);

    /// <summary>The inputs of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<ModelFeature> For(WindowScoreKind kind) => kind switch
    {
        WindowScoreKind.Intent => Intent,
        WindowScoreKind.Artifact => Artifact,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown score."),
    };

    private static readonly float LogQuietRatio = (float)Math.Log10(2.0);

    /// <summary>
    /// The value below which an input says nothing and is read as that value: context below its evidence level is the
    /// sensor's noise (a MEMS accelerometer's, a quiet site's), and a model given the raw noise learns the simulator's
    /// noise levels instead of intent (seen: the unfloored intent score swung between 0.2 and 0.97 inside a still,
    /// context-free simulated cramp whose motion energy moved only between 10^-4.4 and 10^-4.0 g²). Motion and gait
    /// power: a tenth of <see cref="ModelFeatureBuilder.MotionEvidenceLog10"/>; posture change: 5° (a quarter of
    /// <see cref="ModelFeatureBuilder.PostureChangeDegrees"/>); the other sites' level: 2 × their floor (the quiet level of
    /// the activity detector). Negative infinity: no floor.
    /// </summary>
    public static float InputFloor(ModelFeature feature) => feature switch
    {
        ModelFeature.LogMotionEnergy or ModelFeature.LogMotionEnergyMax5s or ModelFeature.RunMotionMax or ModelFeature.LogGaitPower
            => ModelFeatureBuilder.MotionEvidenceLog10 - 1f,
        ModelFeature.PostureChange5s or ModelFeature.RunPostureChange => ModelFeatureBuilder.PostureChangeDegrees / 4f,
        ModelFeature.OtherSitesLogRatio or ModelFeature.OtherSitesLogRatioMean1s => LogQuietRatio,
        _ => float.NegativeInfinity,
    };

    /// <summary>
    /// Writes the inputs <paramref name="inputs"/> (model feature indices) of one window into <paramref name="values"/>, each
    /// raised to its <see cref="InputFloor"/>: the one way both training and scoring read a score's inputs.
    /// </summary>
    public static void Gather(ReadOnlySpan<float> modelFeatures, ReadOnlySpan<int> inputs, ReadOnlySpan<float> floors, Span<float> values)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            float value = modelFeatures[inputs[i]];

            // NaN stays NaN (the trees send it right, as ML.NET does).
            values[i] = value < floors[i] ? floors[i] : value;
        }
    }

    /// <summary>The name used in the model zip and in reports (<c>intent</c>, <c>artifact</c>).</summary>
    public static string NameOf(WindowScoreKind kind) => kind switch
    {
        WindowScoreKind.Intent => "intent",
        WindowScoreKind.Artifact => "artifact",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown score."),
    };
}
