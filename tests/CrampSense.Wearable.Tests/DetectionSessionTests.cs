using CrampSense.Detection;
using CrampSense.Wearable.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Wearable.Tests;

public sealed class DetectionSessionTests
{
    [Fact]
    public void Process_NinetySecondsOfANightCramp_GivesTheCrampTelemetryEverySecondAndATickEvery30Seconds()
    {
        var output = new ItemList();

        SimulatedRun.Run("night-cramp", 1, TimeSpan.FromSeconds(90), output);

        var started = Assert.Single(output.Items.OfType<DetectorEventItem>(), e => e.Event.Type == CrampEventKind.CrampStarted);
        Assert.Equal("calf", started.Event.Site);
        Assert.Equal(DetectionSession.EmittedSeconds(started.Event), started.Seconds);
        Assert.InRange(output.Items.OfType<TelemetryItem>().Count(), 89, 90);
        Assert.All(output.Items.OfType<TelemetryItem>(), t => Assert.Equal(4, t.Sites.Count));
        Assert.InRange(output.Items.OfType<CoachTickItem>().Count(), 2, 3); // 30 s, 60 s (and 90 s at the very end)
        Assert.Contains(output.Items, i => i is ActivityItem);
    }

    [Fact]
    public void Process_ContinuingAnEarlierSession_ItemsFollowOnFromItsSeconds()
    {
        var output = new ItemList();

        var session = SimulatedRun.Run("rest", 1, TimeSpan.FromSeconds(10), output, continueFromSeconds: 1000);

        var first = output.Items.OfType<TelemetryItem>().First();
        Assert.InRange(first.Seconds, 1000, 1001.1);
        Assert.InRange(session.SessionSeconds, 1009.9, 1010.1);
    }
}
