using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Exceptions;
using Xunit;

namespace CrampSense.Messaging.Tests;

/// <summary>The delivery rules of <see cref="OutboxSendLoop"/>, through the publisher over a fake MQTT client.</summary>
public sealed class OutboxSendLoopTests
{
    [Fact]
    public async Task QueuedMessages_AreSentInOutboxOrder_WithOneAwaitingItsPubackAtATime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = FakePublisher.Create();
        var ids = Enumerable.Range(0, 2 * OutboxSendLoop.PeekBatch + 5).Select(i => $"p-{i:D3}").ToList();
        foreach (var id in ids)
        {
            await fake.Publisher.PublishPromptAsync(Samples.Prompt(fake.Device, id), ct);
        }

        await fake.Publisher.StartAsync(ct);
        await fake.Publisher.WaitUntilDeliveredAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);

        Assert.Equal(ids, fake.PromptIds(fake.Client.Published));
        Assert.Equal(1, fake.Client.PeakInFlight);
        Assert.Equal(0, fake.Outbox.Statistics.Pending);
    }

    [Fact]
    public async Task Message_StaysInTheOutboxUntilItsPubackArrives()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = FakePublisher.Create();
        var puback = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Client.BeforeAcknowledgement = m => m.Topic == fake.Publisher.Topics.Prompt ? puback.Task : Task.CompletedTask;
        await fake.Publisher.StartAsync(ct);
        await fake.Publisher.PublishPromptAsync(Samples.Prompt(fake.Device, "p-1"), ct);

        await fake.UntilAsync(() => fake.PromptIds(fake.Client.Attempted).Count == 1, () => "the prompt sent", ct);
        Assert.Equal(1, fake.Outbox.Statistics.Pending);

        puback.SetResult();
        await fake.Publisher.WaitUntilDeliveredAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);
        Assert.Equal(0, fake.Outbox.Statistics.Pending);
        Assert.Equal(["p-1"], fake.PromptIds(fake.Client.Published));
    }

    [Fact]
    public async Task ConnectionLostBeforeThePuback_KeepsTheMessageQueued_AndItIsSentAgainAfterTheReconnect()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = FakePublisher.Create();
        var broken = 0;
        fake.Client.BeforeAcknowledgement = async m =>
        {
            if (m.Topic == fake.Publisher.Topics.Prompt && Interlocked.Exchange(ref broken, 1) == 0)
            {
                await fake.Client.DropAsync();
                throw new MqttCommunicationException("connection lost before the PUBACK (fake)");
            }
        };
        await fake.Publisher.PublishPromptAsync(Samples.Prompt(fake.Device, "p-1"), ct);
        await fake.Publisher.PublishPromptAsync(Samples.Prompt(fake.Device, "p-2"), ct);

        await fake.Publisher.StartAsync(ct);
        await fake.Publisher.WaitUntilDeliveredAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);

        Assert.Equal(["p-1", "p-1", "p-2"], fake.PromptIds(fake.Client.Attempted));
        Assert.Equal(["p-1", "p-2"], fake.PromptIds(fake.Client.Published));
        Assert.Equal(2, fake.Client.Connects);
        Assert.Equal(0, fake.Outbox.Statistics.Rejected);
    }

    [Fact]
    public async Task MessageTheBrokerRefuses_IsRemovedAndCountedAsRejected_AndTheNextIsSent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = FakePublisher.Create();
        fake.Client.Answer = m => fake.PromptIds([m]) is ["p-1"] ? MqttClientPublishReasonCode.NotAuthorized : MqttClientPublishReasonCode.Success;
        await fake.Publisher.PublishPromptAsync(Samples.Prompt(fake.Device, "p-1"), ct);
        await fake.Publisher.PublishPromptAsync(Samples.Prompt(fake.Device, "p-2"), ct);

        await fake.Publisher.StartAsync(ct);
        await fake.Publisher.WaitUntilDeliveredAsync(ct).WaitAsync(ChangeSignal.HangGuard, ct);

        Assert.Equal(["p-1", "p-2"], fake.PromptIds(fake.Client.Attempted));
        Assert.Equal(1, fake.Outbox.Statistics.Rejected);
        Assert.Equal(0, fake.Outbox.Statistics.Pending);
    }
}
