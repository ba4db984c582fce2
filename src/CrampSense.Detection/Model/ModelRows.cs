using Microsoft.ML.Data;

namespace CrampSense.Detection.Model;

/// <summary>One labelled training window as ML.NET reads it.</summary>
internal sealed class LabelledWindow
{
    /// <summary>The <see cref="ActivityClass"/> as a number; mapped to keys in value order, so score i is class i.</summary>
    public float Label { get; set; }

    /// <summary>Training weight (balances the classes).</summary>
    public float Weight { get; set; }

    /// <summary>The model inputs, <see cref="ModelFeature"/> order.</summary>
    [VectorType(ModelFeatureNames.Count)]
    public float[] Features { get; set; } = [];
}

/// <summary>The scoring input: one window's model inputs; its array is reused for every window.</summary>
internal sealed class WindowInput
{
    [VectorType(ModelFeatureNames.Count)]
    public float[] Features { get; set; } = new float[ModelFeatureNames.Count];
}

/// <summary>The scoring output: one probability per class, in key order (= <see cref="ActivityClass"/> order).</summary>
internal sealed class WindowScore
{
    [VectorType(ClassProbabilities.ClassCount)]
    public float[] Score { get; set; } = new float[ClassProbabilities.ClassCount];
}
