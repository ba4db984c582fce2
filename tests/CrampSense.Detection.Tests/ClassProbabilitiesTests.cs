using CrampSense.Detection;
using Xunit;

namespace CrampSense.Detection.Tests;

public sealed class ClassProbabilitiesTests
{
    [Fact]
    public void FromScores_ReadsTheClassesInActivityClassOrder()
    {
        var probabilities = ClassProbabilities.FromScores([0.1f, 0.2f, 0.6f, 0.1f]);

        Assert.Equal(0.1f, probabilities[ActivityClass.Rest]);
        Assert.Equal(0.2f, probabilities[ActivityClass.Voluntary]);
        Assert.Equal(0.6f, probabilities[ActivityClass.Cramp]);
        Assert.Equal(0.1f, probabilities.Artifact);
    }

    [Fact]
    public void FromScores_WrongLength_ThrowsGivingTheLength()
    {
        var ex = Assert.Throws<ArgumentException>(() => ClassProbabilities.FromScores([0.5f, 0.5f]));

        Assert.Contains("got 2", ex.Message, StringComparison.Ordinal);
    }
}
