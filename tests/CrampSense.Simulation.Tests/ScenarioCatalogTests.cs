using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Simulation.Tests;

public class ScenarioCatalogTests
{
    public static TheoryData<string> ScenarioNames => [.. ScenarioCatalog.All.Select(s => s.Name)];

    [Fact]
    public void All_HasTheScenariosTheDetectorTrainsOn_WithUniqueNames()
    {
        var names = ScenarioCatalog.All.Select(s => s.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        foreach (var required in new[] { "rest", "sleep", "night-cramp", "walking", "running", "cycling", "exercise-cramp", "voluntary-holds", "short-contractions", "max-contractions", "nuisances", "mixed" })
        {
            Assert.Contains(required, names);
        }

        Assert.All(ScenarioCatalog.All, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Summary));
            Assert.True(s.DefaultDuration >= s.MinimumDuration);
            Assert.NotEmpty(s.DefaultSites);
        });
    }

    [Fact]
    public void TryGet_IgnoresCase_AndRejectsUnknownNames()
    {
        Assert.True(ScenarioCatalog.TryGet("Night-Cramp", out var scenario));
        Assert.Equal("night-cramp", scenario.Name);
        Assert.False(ScenarioCatalog.TryGet("nap", out _));
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void EveryScenario_AtItsMinimumDuration_StreamsFramesAndTruthInsideTheRecording(string name)
    {
        Assert.True(ScenarioCatalog.TryGet(name, out var scenario));
        var duration = scenario.MinimumDuration < TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : scenario.MinimumDuration;

        var capture = RecordingCapture.Run(new SimulationRequest { Scenario = name, Seed = 11, Duration = duration });

        Assert.Equal((long)(duration.TotalSeconds * 1000), capture.Recording.TotalFrames);
        Assert.All(capture.Emg, site => Assert.All(site, v => Assert.True(float.IsFinite(v))));
        Assert.All(capture.Recording.Truth, t =>
        {
            Assert.Contains(t.Site, capture.Layout.Sites);
            Assert.InRange(t.EndSeconds, t.StartSeconds, duration.TotalSeconds);
        });
        if (name.Contains("cramp", StringComparison.Ordinal))
        {
            Assert.Contains(capture.Recording.Truth, t => t.Kind == TruthKind.Cramp);
        }
    }
}
