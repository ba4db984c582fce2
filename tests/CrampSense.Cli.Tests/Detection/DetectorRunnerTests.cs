using CrampSense.Cli.Detection;
using CrampSense.Detection;
using Xunit;

namespace CrampSense.Cli.Tests.Detection;

public sealed class DetectorRunnerTests
{
    [Theory]
    [InlineData("calf")]
    [InlineData("calf,hamstring,quad")]
    [InlineData("calf,hamstring,quad,shin")]
    public void Run_WithReadAhead_GivesTheSameEventsRowsAndWindowsAsReadingDirectly(string sites)
    {
        // With read-ahead the reader thread also runs the filters and the first sites' quality (FrontEndAhead): the same windows must follow.
        var spec = new SimulatedRecordingSpec("night-cramp", 3, TimeSpan.FromMinutes(15), sites.Split(','), 1000, true, 0);
        var model = ModelFiles.Load(null);
        var directWindows = new StringWriter();
        var aheadWindows = new StringWriter();

        var direct = DetectorRunner.Run(RecordingSource.Simulate(spec), model, windows: directWindows);
        var ahead = DetectorRunner.Run(RecordingSource.Simulate(spec), model, windows: aheadWindows, readAhead: true);

        Assert.Contains(direct.Events, e => e.Type == CrampEventKind.CrampStarted);
        Assert.Equal(direct.Rows, ahead.Rows);
        Assert.Equal(direct.DurationSeconds, ahead.DurationSeconds);
        Assert.Equal(direct.Events.Select(e => e.ToJson()), ahead.Events.Select(e => e.ToJson()));
        Assert.Equal(directWindows.ToString(), aheadWindows.ToString());
    }
}
