using CrampSense.Bridge.Pipeline;
using CrampSense.Bridge.Tests.Fakes;
using CrampSense.Bridge.Tests.Infrastructure;
using MQTTnet;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>The check-and-map rules of <see cref="PayloadWorkers"/>, through the bridge over fakes.</summary>
public sealed class PayloadWorkersTests
{
    [Fact]
    public async Task PoisonPayload_IsDeadLetteredWithItsReasonAndAcknowledged_AndNothingIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeBridge.StartAsync(FakeBridge.Settings(), ct);
        var device = TestMessages.NewDevice();

        var id = await fake.DeliverPoisonAsync(device, 0);

        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == 1, () => "the poison payload acknowledged", ct);
        Assert.Equal(id, Assert.Single(fake.Client.Acknowledged));
        var letter = Assert.Single(fake.DeadLetters).ConvertPayloadToString();
        Assert.Contains(device, letter, StringComparison.Ordinal);
        Assert.Contains("\"reason\"", letter, StringComparison.Ordinal);
        Assert.Empty(fake.Database.Attempts);
        Assert.Equal(1, fake.Bridge.Statistics.DeadLettered);
        Assert.Equal(0, fake.Bridge.Statistics.InFlight);
        Assert.Equal(0, fake.Bridge.Statistics.Unacknowledged);
    }

    [Fact]
    public async Task ThousandsOfPoisonPayloadsBehindAReceiveMaximumOfTwenty_NeverHoldASlot_SoEveryValidOneIsWritten()
    {
        // The flow-control claim of the real-server test (MqttInfluxBridgeTests.Bridge_ThousandsOfPoisonPayloads…)
        // without a broker: the fake broker sends a message only while fewer than 20 are unacknowledged, as an MQTT 5
        // broker honouring the receive maximum does. A poison message held unacknowledged would keep its slot for good,
        // and after 20 of them the pipe would stop. The clock is the system's (the linger closes half-full batches);
        // nothing here is measured against it.
        var ct = TestContext.Current.CancellationToken;
        const int ReceiveMaximum = 20;
        await using var fake = await FakeBridge.StartAsync(
            FakeBridge.Settings(s =>
            {
                s["Bridge:ReceiveMaximum"] = "20";
                s["Bridge:MaxInFlight"] = "40";
                s["Bridge:BatchSize"] = "20";
            }),
            ct,
            systemTime: true);
        var devices = Enumerable.Range(0, 20).Select(_ => TestMessages.NewDevice()).ToList();
        var sent = 0;
        var valid = 0;
        for (var i = 0; i < 150; i++)
        {
            foreach (var device in devices)
            {
                for (var kind = 0; kind < (i % 3 == 0 ? 2 : 1); kind++)
                {
                    var unacknowledgedAtMost = sent - ReceiveMaximum;
                    await fake.UntilAsync(() => fake.Client.Acknowledged.Count > unacknowledgedAtMost, () => $"a free slot ({fake.Client.Acknowledged.Count} of {sent} acknowledged)", ct);
                    if (kind == 0)
                    {
                        await fake.DeliverPoisonAsync(device, i);
                    }
                    else
                    {
                        await fake.DeliverValidAsync(device, 1000 + i);
                        valid++;
                    }

                    sent++;
                }
            }
        }

        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == sent, () => $"{fake.Client.Acknowledged.Count} of {sent} acknowledged", ct);
        Assert.Equal(3000, fake.DeadLetters.Count);
        Assert.Equal(valid, fake.Database.Stored.Distinct().Count());
        Assert.Equal(sent, fake.Bridge.Statistics.Received);
        Assert.Equal(3000, fake.Bridge.Statistics.DeadLettered);
        Assert.Equal(valid, fake.Bridge.Statistics.Written);
        Assert.InRange(fake.Bridge.Statistics.PeakUnacknowledged, 1, ReceiveMaximum);
        Assert.Equal(0, fake.Bridge.Statistics.InFlight);
    }
}
