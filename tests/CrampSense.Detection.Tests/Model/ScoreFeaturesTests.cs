using CrampSense.Detection.Model;
using Xunit;

namespace CrampSense.Detection.Tests.Model;

public sealed class ScoreFeaturesTests
{
    [Fact]
    public void Lists_AreDisjointAndWithoutRepeats()
    {
        Assert.Empty(ScoreFeatures.Intent.Intersect(ScoreFeatures.Artifact));
        Assert.Equal(ScoreFeatures.Intent.Count, ScoreFeatures.Intent.Distinct().Count());
        Assert.Equal(ScoreFeatures.Artifact.Count, ScoreFeatures.Artifact.Distinct().Count());
    }

    [Fact]
    public void Intent_HasNoInputOfTheSitesOwnSignal()
    {
        // The site's own amplitude, shape, spectrum, activity timing and % of maximum: none may reach the intent score.
        ModelFeature[] own =
        [
            ModelFeature.LogRatio, ModelFeature.LogRatioMean1s, ModelFeature.LogRatioMin1s, ModelFeature.LogRatioMean3s,
            ModelFeature.LogRatioMin3s, ModelFeature.LogRatioSd3s, ModelFeature.LogRatioMax5s, ModelFeature.ActiveSeconds,
            ModelFeature.Transitions5s, ModelFeature.EnvelopeCv, ModelFeature.EnvelopeSlopeRelative, ModelFeature.MeanFrequency,
            ModelFeature.MedianFrequency, ModelFeature.LowBandRatio, ModelFeature.MidBandRatio, ModelFeature.HighBandRatio,
            ModelFeature.ZeroCrossings, ModelFeature.SlopeSignChanges, ModelFeature.WaveformLengthRelative,
            ModelFeature.TeagerRelative, ModelFeature.PercentOfMax,
        ];

        Assert.Empty(ScoreFeatures.Intent.Intersect(own));
        Assert.Equal(ModelFeatureNames.Count, own.Length + ScoreFeatures.Intent.Count);
    }
}
