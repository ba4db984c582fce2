using Xunit;

namespace CrampSense.Detection.Tests;

public sealed class WindowScoresTests
{
    [Fact]
    public void ToClassProbabilities_Active_SplitsMuscleByIntentAndSumsToOne()
    {
        var p = new WindowScores(Intent: 0.25f, Artifact: 0.2f).ToClassProbabilities(active: true);

        Assert.Equal(0f, p.Rest);
        Assert.Equal(0.2f, p.Voluntary, 1e-6f);
        Assert.Equal(0.6f, p.Cramp, 1e-6f);
        Assert.Equal(0.2f, p.Artifact, 1e-6f);
    }

    [Fact]
    public void ToClassProbabilities_NotActive_IsRestOrArtifactWhateverTheIntent()
    {
        var p = new WindowScores(Intent: 0.9f, Artifact: 0.3f).ToClassProbabilities(active: false);

        Assert.Equal(new ClassProbabilities(0.7f, 0f, 0f, 0.3f), p);
    }

    [Fact]
    public void Faulty_IsAllArtifact() =>
        Assert.Equal(new ClassProbabilities(0f, 0f, 0f, 1f), WindowScores.Faulty.ToClassProbabilities(active: true));
}
