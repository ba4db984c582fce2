using Xunit;

namespace CrampSense.Detection.Tests;

public sealed class ClassProbabilitiesTests
{
    [Fact]
    public void Indexer_ReadsEachClass()
    {
        var probabilities = new ClassProbabilities(0.1f, 0.2f, 0.6f, 0.1f);

        Assert.Equal(0.1f, probabilities[ActivityClass.Rest]);
        Assert.Equal(0.2f, probabilities[ActivityClass.Voluntary]);
        Assert.Equal(0.6f, probabilities[ActivityClass.Cramp]);
        Assert.Equal(0.1f, probabilities[ActivityClass.Artifact]);
    }

    [Fact]
    public void Indexer_UnknownClass_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassProbabilities(1, 0, 0, 0)[(ActivityClass)7]);
}
