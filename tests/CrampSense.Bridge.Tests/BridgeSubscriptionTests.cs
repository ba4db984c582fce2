using CrampSense.Bridge.Pipeline;
using CrampSense.Bridge.Tests.Fakes;
using CrampSense.Bridge.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>The connection and acknowledgement rules of <see cref="BridgeSubscription"/>, through the bridge over fakes.</summary>
public sealed class BridgeSubscriptionTests
{
    [Fact]
    public async Task ConnectFailures_AreRetriedAfterTheExponentialBackoff_ThenItSubscribes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bridge = await StartFailingAsync(FakeBridge.Settings(), failures: 2, ct);
        var min = bridge.Options.Mqtt.ReconnectMinDelay;

        // Attempt n waits within [d/2, d], d = min·2^(n−1) (ExponentialBackoff's equal jitter).
        await bridge.UntilTimerAsync(0, d => d >= min / 2 && d <= min, "the first reconnect", ct);
        Assert.Equal(1, bridge.Client.ConnectAttempts);
        bridge.Time.Advance(min);
        await bridge.UntilTimerAsync(1, d => d >= min && d <= 2 * min, "the second reconnect", ct);
        Assert.Equal(2, bridge.Client.ConnectAttempts);
        bridge.Time.Advance(2 * min);

        await bridge.Bridge.WaitUntilConnectedAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);
        Assert.Equal(3, bridge.Client.ConnectAttempts);
        Assert.Equal(1, bridge.Bridge.Statistics.Connects);
    }

    [Fact]
    public async Task MessageOfAnEarlierConnection_IsWrittenButNotAcknowledgedOnTheNewOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeBridge.StartAsync(FakeBridge.Settings(s => s["Bridge:BatchSize"] = "1"), ct);
        fake.Database.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var device = TestMessages.NewDevice();
        await fake.DeliverValidAsync(device, 0);
        await fake.UntilAsync(() => fake.Database.Attempts.Count == 1, () => "the first write", ct);

        // The connection drops while the point is being written; the supervisor reconnects after its next wait.
        await fake.Client.DropAsync();
        await fake.AdvanceUntilAsync(fake.Options.Mqtt.ReconnectMinDelay, () => fake.Client.Connects == 2, () => $"{fake.Client.Connects} connections", ct);
        await fake.UntilAsync(() => fake.Bridge.Subscription.IsSubscribed, () => "subscribed again", ct);

        fake.Database.Gate.SetResult();
        var second = await fake.DeliverValidAsync(device, 1);

        // The writer keeps order, so once the second is acknowledged the first has been through its acknowledgement.
        await fake.UntilAsync(() => fake.Client.Acknowledged.Contains(second), () => "the second message acknowledged", ct);
        Assert.Equal(second, Assert.Single(fake.Client.Acknowledged));
        Assert.Equal(2, fake.Database.Stored.Count);
        Assert.Equal(1, fake.Bridge.Statistics.StaleAcknowledgements);
        Assert.Equal(1, fake.Bridge.Statistics.Acknowledged);
    }

    private static async Task<FakeBridge> StartFailingAsync(Dictionary<string, string?> settings, int failures, CancellationToken ct)
    {
        var fake = FakeBridge.Create(settings);
        fake.Client.FailConnects = failures;
        await fake.Bridge.StartAsync(ct);
        return fake;
    }
}
