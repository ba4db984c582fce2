
namespace CrampSense.Training;

/// <summary>One labelled training window of one score as ML.NET reads it (the vector's length is set per score by a schema).</summary>
internal sealed class ScoreRow
{
    /// <summary>True for the score's positive class (voluntary for intent, non-muscle for artifact).</summary>
    public bool Label { get; set; }

    /// <summary>Training weight (balances the two classes).</summary>
    public float Weight { get; set; }

    /// <summary>The score's own inputs, in <see cref="CrampSense.Detection.Model.ScoreFeatures"/> order.</summary>
    public float[] Features { get; set; } = [];
}

/// <summary>ML.NET's binary prediction for one row.</summary>
internal sealed class ScoreOutput
{
    public float Score { get; set; }

    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}

/// <summary>A label and a probability, for ML.NET's binary evaluator.</summary>
internal sealed class ScoredRow
{
    public bool Label { get; set; }

    public float Score { get; set; }

    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}
