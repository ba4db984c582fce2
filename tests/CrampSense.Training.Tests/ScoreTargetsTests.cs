using CrampSense.Detection;
using CrampSense.Detection.Model;
using Xunit;

namespace CrampSense.Training.Tests;

public sealed class ScoreTargetsTests
{
    [Theory]
    [InlineData(ActivityClass.Voluntary, true, true)]
    [InlineData(ActivityClass.Cramp, true, false)]
    [InlineData(ActivityClass.Voluntary, false, null)]
    [InlineData(ActivityClass.Cramp, false, null)]
    [InlineData(ActivityClass.Rest, true, null)]
    [InlineData(ActivityClass.Artifact, true, null)]
    public void Label_Intent_IsVoluntaryVsCrampInsideActivityOnly(ActivityClass label, bool inside, bool? expected)
    {
        var set = new TrainingSet();
        set.Add(new float[ModelFeatureNames.Count], label, 0, inside);

        Assert.Equal(expected, ScoreTargets.Label(set, 0, WindowScoreKind.Intent));
    }

    [Theory]
    [InlineData(ActivityClass.Artifact, true)]
    [InlineData(ActivityClass.Cramp, false)]
    [InlineData(ActivityClass.Voluntary, false)]
    [InlineData(ActivityClass.Rest, null)]
    public void Label_Artifact_IsNonMuscleVsMuscle(ActivityClass label, bool? expected)
    {
        var set = new TrainingSet();
        set.Add(new float[ModelFeatureNames.Count], label, 0);

        Assert.Equal(expected, ScoreTargets.Label(set, 0, WindowScoreKind.Artifact));
    }
}
