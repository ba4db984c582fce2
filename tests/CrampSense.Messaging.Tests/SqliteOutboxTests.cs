using System.Text;
using CrampSense.Messaging.Outbox;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Messaging.Tests;

public sealed class SqliteOutboxTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "crampsense-outbox-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Enqueue_ThenReopen_MessagesAreStillThereInOrder()
    {
        using (var outbox = Open())
        {
            for (var i = 0; i < 5; i++)
            {
                Add(outbox, MessageClass.Event, $"e{i}");
            }
        }

        using var reopened = Open();
        Assert.Equal(["e0", "e1", "e2", "e3", "e4"], reopened.PeekNext(10).Select(m => m.MessageId));
        Assert.Equal(5, reopened.Statistics.Pending);
    }

    [Fact]
    public void PeekNext_MixedClasses_EventsAndPromptsFirstThenFaultsThenTelemetry_InOrderWithinEach()
    {
        using var outbox = Open();
        Add(outbox, MessageClass.Telemetry, "t0");
        Add(outbox, MessageClass.Event, "e0");
        Add(outbox, MessageClass.Fault, "f0");
        Add(outbox, MessageClass.Prompt, "p0");
        Add(outbox, MessageClass.Telemetry, "t1");
        Add(outbox, MessageClass.Event, "e1");

        var next = outbox.PeekNext(10);

        Assert.Equal(["e0", "p0", "e1", "f0", "t0", "t1"], next.Select(m => m.MessageId));
        Assert.All(next.Where(m => m.Class != MessageClass.Telemetry), m => Assert.True(m.AtLeastOnce));
        Assert.False(next.Single(m => m.MessageId == "t0").AtLeastOnce);
        Assert.Equal("{\"id\":\"e0\"}", Encoding.UTF8.GetString(next[0].Payload.Span));
    }

    [Fact]
    public void Remove_AfterAcknowledgement_IsGoneAfterReopen()
    {
        long first;
        using (var outbox = Open())
        {
            first = Add(outbox, MessageClass.Event, "e0");
            Add(outbox, MessageClass.Event, "e1");
            Assert.True(outbox.Remove(first));
            Assert.False(outbox.Remove(first));
        }

        using var reopened = Open();
        Assert.Equal(["e1"], reopened.PeekNext(10).Select(m => m.MessageId));
        Assert.Equal(1, reopened.Statistics.Pending);
    }

    [Fact]
    public void Enqueue_BeyondMaxBytes_DropsTelemetryFirstThenFaultsThenEvents_AndCountsEachDrop()
    {
        // Each row costs topic (5 bytes) + payload; 10 rows of 100 bytes fill a 1050-byte outbox.
        using var outbox = Open(maxBytes: 1050);
        for (var i = 0; i < 3; i++)
        {
            Add(outbox, MessageClass.Event, $"e{i}", size: 100);
            Add(outbox, MessageClass.Fault, $"f{i}", size: 100);
            Add(outbox, MessageClass.Telemetry, $"t{i}", size: 100);
        }

        Add(outbox, MessageClass.Prompt, "p0", size: 100);
        Assert.Equal(0, outbox.Statistics.DroppedTotal);

        Add(outbox, MessageClass.Event, "e3", size: 100);
        Assert.Equal(1, outbox.Statistics.DroppedTelemetry);
        Assert.DoesNotContain("t0", Ids(outbox));

        for (var i = 4; i < 9; i++)
        {
            Add(outbox, MessageClass.Event, $"e{i}", size: 100);
        }

        var stats = outbox.Statistics;
        Assert.Equal(3, stats.DroppedTelemetry);
        Assert.Equal(3, stats.DroppedFault);
        Assert.Equal(0, stats.DroppedEvent);
        Assert.Equal(0, stats.DroppedPrompt);
        Assert.True(stats.PendingBytes <= 1050);

        Add(outbox, MessageClass.Event, "e9", size: 100);
        Assert.Equal(1, outbox.Statistics.DroppedEvent + outbox.Statistics.DroppedPrompt);
        Assert.DoesNotContain("e0", Ids(outbox));
        Assert.Contains("e9", Ids(outbox));
    }

    [Fact]
    public void DropCounts_SurviveReopen()
    {
        using (var outbox = Open(maxBytes: 300))
        {
            for (var i = 0; i < 5; i++)
            {
                Add(outbox, MessageClass.Telemetry, $"t{i}", size: 100);
            }

            Assert.Equal(2, outbox.Statistics.DroppedTelemetry);
        }

        using var reopened = Open(maxBytes: 300);
        Assert.Equal(2, reopened.Statistics.DroppedTelemetry);
        Assert.Equal(3, reopened.Statistics.Pending);
    }

    [Fact]
    public void Enqueue_AfterMaxAge_DropsStaleMessages_TelemetryAfterItsShorterAge()
    {
        using var outbox = Open();
        Add(outbox, MessageClass.Event, "old-event");
        Add(outbox, MessageClass.Telemetry, "old-telemetry");

        _time.Advance(TimeSpan.FromHours(2));
        Add(outbox, MessageClass.Event, "new-event");
        Assert.Equal(["old-event", "new-event"], Ids(outbox));
        Assert.Equal(1, outbox.Statistics.DroppedTelemetry);

        _time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Empty(outbox.PeekNext(10));
        Assert.Equal(2, outbox.Statistics.DroppedEvent);
    }

    [Fact]
    public void Enqueue_PayloadOverTheLimit_ThrowsNamingTheKeyAndStoresNothing()
    {
        using var outbox = Open();
        var ex = Assert.Throws<ArgumentException>(() =>
            outbox.Enqueue("topic", new byte[outbox.Options.MaxPayloadBytes + 1], true, MessageClass.Event, "big", "crampsense.event.v1"));
        Assert.Contains("Mqtt:MaxPayloadBytes", ex.Message);
        Assert.Contains("big", ex.Message);
        Assert.Equal(0, outbox.Statistics.Pending);
        Add(outbox, MessageClass.Event, "after");
        Assert.Equal(["after"], Ids(outbox));
    }

    [Fact]
    public void Reject_CountsTheMessageAsRejectedAndRemovesIt()
    {
        using var outbox = Open();
        var sequence = Add(outbox, MessageClass.Prompt, "p0");
        var raised = 0;
        outbox.StatisticsChanged += (_, _) => raised++;

        Assert.True(outbox.Reject(sequence));

        Assert.Equal(1, outbox.Statistics.Rejected);
        Assert.Equal(0, outbox.Statistics.Pending);
        Assert.Equal(1, raised);
    }

    [Fact]
    public void Open_PathUnderAFile_ThrowsIOExceptionNamingThePathKey()
    {
        Directory.CreateDirectory(_folder);
        var file = Path.Combine(_folder, "plain-file");
        File.WriteAllText(file, "x");
        var ex = Assert.Throws<IOException>(() => SqliteOutbox.Open(new OutboxOptions { Path = Path.Combine(file, "outbox.db") }));
        Assert.Contains("Mqtt:Outbox:Path", ex.Message);
    }

    [Fact]
    public void Counters_IncrementAndPersist()
    {
        using (var outbox = Open())
        {
            Assert.Equal(1, outbox.IncrementCounter("cramps:2026-11-26"));
            Assert.Equal(2, outbox.IncrementCounter("cramps:2026-11-26"));
        }

        using var reopened = Open();
        Assert.Equal(2, reopened.ReadCounter("cramps:2026-11-26"));
        Assert.Equal(0, reopened.ReadCounter("cramps:2026-11-27"));
    }

    [Fact]
    public void SetCounter_OnlyIfPresent_ChangesAnExistingCounterOnlyAndSumCountersAddsThoseOfAPrefix()
    {
        using (var outbox = Open())
        {
            Assert.True(outbox.SetCounter("cramps:2026-11-26:a", 1));
            Assert.True(outbox.SetCounter("cramps:2026-11-26:b", 1));
            Assert.True(outbox.SetCounter("cramps:2026-11-26:b", 1));
            Assert.True(outbox.SetCounter("cramps:2026-11-26:a", 0, onlyIfPresent: true));
            Assert.False(outbox.SetCounter("cramps:2026-11-26:c", 0, onlyIfPresent: true));
            outbox.IncrementCounter("cramps:2026-11-27:d");
        }

        using var reopened = Open();
        Assert.Equal(1, reopened.SumCounters("cramps:2026-11-26"));
        Assert.Equal(1, reopened.SumCounters("cramps:2026-11-27"));
        Assert.Equal(0, reopened.SumCounters("cramps:2026-11-28"));
        Assert.Equal(0, reopened.ReadCounter("cramps:2026-11-26:c"));
    }

    private static string[] Ids(SqliteOutbox outbox) => outbox.PeekNext(100).Select(m => m.MessageId).ToArray();

    private static long Add(SqliteOutbox outbox, MessageClass messageClass, string id, int? size = null)
    {
        var payload = size is { } n ? new byte[n - 5] : Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}");
        return outbox.Enqueue("topic", payload, messageClass != MessageClass.Telemetry, messageClass, id, "crampsense.test.v1");
    }

    private SqliteOutbox Open(long maxBytes = OutboxOptions.DefaultMaxBytes) =>
        SqliteOutbox.Open(new OutboxOptions { Path = Path.Combine(_folder, "outbox.db"), MaxBytes = maxBytes }, _time);
}
