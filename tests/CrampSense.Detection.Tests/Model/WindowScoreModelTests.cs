using CrampSense.Detection.Model;
using Xunit;

namespace CrampSense.Detection.Tests.Model;

public sealed class WindowScoreModelTests
{
    /// <summary>One tree on the artifact score's second input (EnvelopeCv): ≤ 0.5 → leaf −1, else leaf +1; Platt slope −1.</summary>
    private static ScoreModelDocument OneSplit(string feature = nameof(ModelFeature.EnvelopeCv), int left = -1, int right = -2) => new()
    {
        Learner = "hand",
        Features = [nameof(ModelFeature.LogRatio), feature],
        Bias = 0,
        PlattSlope = -1,
        PlattOffset = 0,
        Trees = [new TreeDocument { SplitFeature = [1], Threshold = [0.5f], Left = [left], Right = [right], Leaves = [-1, 1] }],
    };

    [Fact]
    public void Score_OneSplit_FollowsTheTreeAndThePlattCurve()
    {
        var model = WindowScoreModel.FromDocument(OneSplit(), WindowScoreKind.Artifact);
        var features = new float[ModelFeatureNames.Count];

        features[(int)ModelFeature.EnvelopeCv] = 0.2f;
        float low = model.Score(features);
        features[(int)ModelFeature.EnvelopeCv] = 0.9f;
        float high = model.Score(features);

        Assert.Equal(1 / (1 + Math.E), low, 1e-6f);
        Assert.Equal(1 / (1 + (1 / Math.E)), high, 1e-6f);
    }

    [Fact]
    public void FromDocument_IntentModelReadingASpectralInput_ThrowsNamingIt()
    {
        var document = OneSplit(nameof(ModelFeature.MedianFrequency)) with { Features = [nameof(ModelFeature.LogMotionEnergy), nameof(ModelFeature.MedianFrequency)] };

        var e = Assert.Throws<InvalidDataException>(() => WindowScoreModel.FromDocument(document, WindowScoreKind.Intent));
        Assert.Contains("intent score", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ModelFeature.MedianFrequency), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_UnknownInput_ThrowsNamingIt()
    {
        var e = Assert.Throws<InvalidDataException>(() => WindowScoreModel.FromDocument(OneSplit("Colour"), WindowScoreKind.Artifact));
        Assert.Contains("'Colour'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_ChildOutOfRange_ThrowsNamingTreeAndNode()
    {
        var e = Assert.Throws<InvalidDataException>(() => WindowScoreModel.FromDocument(OneSplit(right: 5), WindowScoreKind.Artifact));
        Assert.Contains("tree 0, node 0", e.Message, StringComparison.Ordinal);
    }
}
