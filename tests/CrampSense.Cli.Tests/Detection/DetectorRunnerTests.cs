using CrampSense.Cli.Detection;
using CrampSense.Detection;
using Xunit;

namespace CrampSense.Cli.Tests.Detection;

public sealed class DetectorRunnerTests
{
    [Fact]
    public void Run_WithReadAhead_GivesTheSameEventsAndRowsAsReadingDirectly()
    {
        var spec = new SimulatedRecordingSpec("night-cramp", 3, TimeSpan.FromMinutes(15), ["calf"], 1000, true, 0);
        var model = ModelFiles.Load(null);

        var direct = DetectorRunner.Run(RecordingSource.Simulate(spec), model);
        var ahead = DetectorRunner.Run(RecordingSource.Simulate(spec), model, readAhead: true);

        Assert.Contains(direct.Events, e => e.Type == CrampEventKind.CrampStarted);
        Assert.Equal(direct.Rows, ahead.Rows);
        Assert.Equal(direct.DurationSeconds, ahead.DurationSeconds);
        Assert.Equal(direct.Events.Select(e => e.ToJson()), ahead.Events.Select(e => e.ToJson()));
    }
}
