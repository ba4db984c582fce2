using CrampSense.Detection.Evaluation;
using Xunit;

namespace CrampSense.Detection.Tests.Evaluation;

public sealed class DetectedCrampTests
{
    private static CrampEvent Event(CrampEventKind type, string id, double onset, double? confirmed = null, double? end = null) => new()
    {
        Type = type,
        Id = id,
        Device = "dev1",
        Site = "calf",
        OnsetSeconds = onset,
        ConfirmedSeconds = confirmed,
        EndSeconds = end,
    };

    [Fact]
    public void FromEvents_StartedAndEndedPair_GivesOneCrampWithTheEnd()
    {
        var events = new[]
        {
            Event(CrampEventKind.CrampStarted, "a", 10, 15),
            Event(CrampEventKind.CrampWarning, "w", 2, 22),
            Event(CrampEventKind.CrampEnded, "a", 10, 15, 40),
        };

        var cramp = Assert.Single(DetectedCramp.FromEvents(events, recordingEndSeconds: 100));

        Assert.Equal(new DetectedCramp("a", "calf", 10, 15, 40), cramp);
    }

    [Fact]
    public void FromEvents_StartedWithoutEnded_LastsToTheEndOfTheRecording()
    {
        var cramp = Assert.Single(DetectedCramp.FromEvents([Event(CrampEventKind.CrampStarted, "a", 10, 15)], recordingEndSeconds: 100));

        Assert.Equal(100, cramp.EndSeconds);
    }

    [Fact]
    public void FromEvents_TrackerOutput_GivesItsCramps()
    {
        var script = new AssessmentScript().Rest(10).Cramp(8).Rest(5).Cramp(6).Rest(3);

        var cramps = DetectedCramp.FromEvents(script.Run().Select(e => e.Event), script.NowSeconds);

        Assert.Equal(2, cramps.Count);
        Assert.True(cramps[0].OnsetSeconds < cramps[1].OnsetSeconds);
    }
}
