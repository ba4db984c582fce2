using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Messaging.Tests;

/// <summary>The connection rules of <see cref="MqttSession"/>, through the publisher over a fake MQTT client.</summary>
public sealed class MqttSessionTests
{
    [Fact]
    public async Task ConnectFailures_AreRetriedAfterTheExponentialBackoff_AndTheOutboxIsSentOnceConnected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = FakePublisher.Create(failConnects: 2);
        var min = fake.Options.ReconnectMinDelay;
        await fake.Publisher.PublishPromptAsync(Samples.Prompt(fake.Device, "p-1"), ct);
        await fake.Publisher.StartAsync(ct);

        // Attempt n waits within [d/2, d], d = min·2^(n−1) (ExponentialBackoff's equal jitter); nothing else waits that long.
        await fake.UntilAsync(() => fake.Time.Timers.Any(d => d >= min / 2 && d <= min), () => $"the first reconnect wait (timers: {string.Join(", ", fake.Time.Timers)})", ct);
        Assert.Equal(1, fake.Client.ConnectAttempts);
        Assert.Contains("connection refused (fake)", fake.Publisher.LastConnectionError, StringComparison.Ordinal);
        Assert.Empty(fake.Client.Attempted);
        fake.Time.Advance(min);

        IEnumerable<TimeSpan> Reconnects() => fake.Time.Timers.Where(d => d >= min / 2 && d <= 2 * min);
        await fake.UntilAsync(() => Reconnects().Count() == 2, () => $"the second reconnect wait (timers: {string.Join(", ", fake.Time.Timers)})", ct);
        Assert.Equal(2, fake.Client.ConnectAttempts);
        Assert.InRange(Reconnects().Last(), min, 2 * min);
        fake.Time.Advance(2 * min);

        await fake.Publisher.WaitUntilDeliveredAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);
        Assert.Equal(3, fake.Client.ConnectAttempts);
        Assert.Equal(1, fake.Publisher.ConnectCount);
        Assert.Null(fake.Publisher.LastConnectionError);
        Assert.Equal(["p-1"], fake.PromptIds(fake.Client.Published));
    }
}
