using CrampSense.Detection;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Training.Tests;

public sealed class WindowLabelsTests
{
    private static TruthInterval Interval(TruthKind kind, double start, double end) => new(kind, "calf", start, end);

    [Fact]
    public void Label_NoTruth_IsRest() => Assert.Equal(ActivityClass.Rest, WindowLabels.Label([], 1.0, 1.25));

    [Fact]
    public void Label_WindowInsideCramp_IsCramp() =>
        Assert.Equal(ActivityClass.Cramp, WindowLabels.Label([Interval(TruthKind.Cramp, 0.5, 10)], 1.0, 1.25));

    [Fact]
    public void Label_WindowMostlyInCramp_IsCramp() =>
        Assert.Equal(ActivityClass.Cramp, WindowLabels.Label([Interval(TruthKind.Cramp, 1.1, 10)], 1.0, 1.25));

    [Fact]
    public void Label_WindowTouchingCrampEdge_IsAmbiguous() =>
        Assert.Null(WindowLabels.Label([Interval(TruthKind.Cramp, 1.2, 10)], 1.0, 1.25));

    [Fact]
    public void Label_VoluntaryContraction_IsVoluntary() =>
        Assert.Equal(ActivityClass.Voluntary, WindowLabels.Label([Interval(TruthKind.Voluntary, 0, 2)], 1.0, 1.25));

    [Fact]
    public void Label_Prodrome_IsRest() =>
        Assert.Equal(ActivityClass.Rest, WindowLabels.Label([Interval(TruthKind.Prodrome, 0, 40)], 1.0, 1.25));

    [Fact]
    public void Label_FaultAnywhereInWindow_IsArtifactEvenDuringCramp() =>
        Assert.Equal(ActivityClass.Artifact, WindowLabels.Label([Interval(TruthKind.Cramp, 0, 10), Interval(TruthKind.Fault, 1.24, 1.3)], 1.0, 1.25));

    [Fact]
    public void Label_ArtifactCoveringAFifth_IsArtifact() =>
        Assert.Equal(ActivityClass.Artifact, WindowLabels.Label([Interval(TruthKind.Artifact, 1.15, 1.3)], 1.0, 1.25));

    [Fact]
    public void Label_ArtifactGrazingWindow_IsAmbiguous() =>
        Assert.Null(WindowLabels.Label([Interval(TruthKind.Artifact, 1.24, 1.3)], 1.0, 1.25));

    [Fact]
    public void Label_EmptyWindow_IsAmbiguous() => Assert.Null(WindowLabels.Label([], 1.0, 1.0));
}
