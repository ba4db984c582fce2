using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Pipeline;
using CrampSense.Bridge.Tests.Fakes;
using CrampSense.Bridge.Tests.Infrastructure;
using MQTTnet;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>The batching, retry and acknowledgement rules of <see cref="InfluxBatchWriter"/>, through the bridge over fakes.</summary>
public sealed class InfluxBatchWriterTests
{
    [Fact]
    public async Task Messages_AreAcknowledgedOnlyAfterTheDatabaseAcceptedTheirPoints()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeBridge.StartAsync(FakeBridge.Settings(s => s["Bridge:BatchSize"] = "3"), ct);
        fake.Database.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var device = TestMessages.NewDevice();
        List<ushort> ids = [];
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await fake.DeliverValidAsync(device, i));
        }

        await fake.UntilAsync(() => fake.Database.Attempts.Count == 1, () => $"{fake.Database.Attempts.Count} write attempts", ct);
        Assert.Empty(fake.Client.Acknowledged);
        Assert.Equal(3, fake.Bridge.Statistics.InFlight);

        fake.Database.Gate.SetResult();
        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == 3, () => $"{fake.Client.Acknowledged.Count} of 3 acknowledged", ct);
        Assert.Equal(ids.Order(), fake.Client.Acknowledged.Order());
        Assert.Equal(3, fake.Database.Stored.Count);
        Assert.Equal(3, fake.Bridge.Statistics.Written);
    }

    [Fact]
    public async Task FailedWrite_IsRetriedAfterTheBackoffAndHoldsTheAcknowledgementsUntilItSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeBridge.StartAsync(FakeBridge.Settings(s => s["Bridge:BatchSize"] = "2"), ct);
        var failures = 1;
        fake.Database.Failure = _ => Interlocked.Decrement(ref failures) >= 0 ? new HttpRequestException("database down (fake)") : null;
        var timersBefore = fake.Time.Timers.Count;
        var device = TestMessages.NewDevice();
        await fake.DeliverValidAsync(device, 0);
        await fake.DeliverValidAsync(device, 1);

        // The first retry waits within [RetryMin/2, RetryMin] (equal jitter): 15–30 s here, no other loop waits that long.
        var retryMin = fake.Options.RetryMinDelay;
        await fake.UntilTimerAsync(timersBefore, d => d >= retryMin / 2 && d <= retryMin, "the write retry", ct);
        Assert.Single(fake.Database.Attempts);
        Assert.Empty(fake.Client.Acknowledged);
        Assert.Equal(1, fake.Bridge.Statistics.WriteFailures);
        Assert.Equal("database down (fake)", fake.Bridge.Statistics.LastWriteError);

        fake.Time.Advance(retryMin);
        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == 2, () => $"{fake.Client.Acknowledged.Count} of 2 acknowledged", ct);
        Assert.Equal(2, fake.Database.Attempts.Count);
        Assert.Equal(fake.Database.Attempts.First(), fake.Database.Attempts.Last());
        Assert.Null(fake.Bridge.Statistics.LastWriteError);
    }

    [Fact]
    public async Task Batches_CloseAtBatchSize_AndTheRestIsWrittenWhenNothingCameForTheLinger()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeBridge.StartAsync(FakeBridge.Settings(s => s["Bridge:BatchSize"] = "5"), ct);
        var device = TestMessages.NewDevice();
        for (var i = 0; i < 12; i++)
        {
            fake.QueuePoint(device, i);
        }

        // The clock stands still, so only the size closes a batch: two of 5, and 2 points wait.
        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == 10, () => $"{fake.Client.Acknowledged.Count} of 10 acknowledged", ct);
        Assert.Equal([5, 5], fake.Database.Attempts.Select(a => a.Count));

        await fake.AdvanceUntilAsync(fake.Options.Linger, () => fake.Client.Acknowledged.Count == 12, () => $"{fake.Client.Acknowledged.Count} of 12 acknowledged", ct);
        Assert.Equal([5, 5, 2], fake.Database.Attempts.Select(a => a.Count));
        Assert.Equal(0, fake.Bridge.Statistics.InFlight);
    }

    [Fact]
    public async Task BatchRefusedForGood_IsWrittenPointByPoint_AndOnlyTheRefusedPointIsDeadLetteredAndAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeBridge.StartAsync(FakeBridge.Settings(s => s["Bridge:BatchSize"] = "3"), ct);
        var device = TestMessages.NewDevice();

        // The second message's point conflicts with the database's field types (InfluxDB answers 422 for the whole batch).
        var refused = InfluxPointMapper.ToLineProtocol(TestMessages.Started(device, 1));
        fake.Database.Failure = lines => lines.Contains(refused) ? new InfluxPointsRefusedException(422, "field type conflict (fake)") : null;
        for (var i = 0; i < 3; i++)
        {
            await fake.DeliverValidAsync(device, i);
        }

        await fake.UntilAsync(() => fake.Client.Acknowledged.Count == 3, () => $"{fake.Client.Acknowledged.Count} of 3 acknowledged", ct);
        Assert.Equal([3, 1, 1, 1], fake.Database.Attempts.Select(a => a.Count));
        Assert.Equal(2, fake.Database.Stored.Count);
        Assert.DoesNotContain(refused, fake.Database.Stored);
        var letter = Assert.Single(fake.DeadLetters);
        Assert.Contains("InfluxDB refused the point (422)", letter.ConvertPayloadToString(), StringComparison.Ordinal);
        Assert.Equal(1, fake.Bridge.Statistics.DeadLettered);
        Assert.Equal(0, fake.Bridge.Statistics.InFlight);
    }
}
