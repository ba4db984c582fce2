using CrampSense.Coaching;
using CrampSense.Detection;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.FirmwareHost.Tests.Infrastructure;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

/// <summary>The durable cramp history, on a real SQLite file.</summary>
public sealed class CrampHistoryStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_StartedThenEndedThenReopened_LoadsOneCrampWithItsStartAndDuration()
    {
        var path = TestHosts.TempPath("history.db");
        using (var store = CrampHistoryStore.Open(path, Now.AddDays(-7)))
        {
            store.Record(Event(CrampEventKind.CrampStarted, "pi:calf:cramp:1", 5), Now);
            store.Record(Event(CrampEventKind.CrampStarted, "pi:calf:cramp:1", 5), Now); // sent twice
            store.Record(Event(CrampEventKind.CrampEnded, "pi:calf:cramp:1", 40), Now.AddSeconds(35));
            store.Record(Event(CrampEventKind.CrampWarning, "pi:calf:cramp:2", 3), Now.AddMinutes(1));
        }

        using var reopened = CrampHistoryStore.Open(path, Now.AddDays(-7));

        Assert.Equal([new PastCramp(Now.AddSeconds(-5), TimeSpan.FromSeconds(40))], reopened.Load());
    }

    [Fact]
    public void Forget_ARejectedCramp_IsGoneAfterAReopenAndAReportedOneIsKept()
    {
        var path = TestHosts.TempPath("history.db");
        using (var store = CrampHistoryStore.Open(path, Now.AddDays(-7)))
        {
            store.Record(Event(CrampEventKind.CrampStarted, "pi:calf:cramp:1", 5), Now);
            store.RecordReported("pi:calf:report:9", "calf", Now.AddMinutes(3));
            store.Forget("pi:calf:cramp:1");
            store.Forget("pi:calf:cramp:unknown");
        }

        using var reopened = CrampHistoryStore.Open(path, Now.AddDays(-7));

        Assert.Equal([new PastCramp(Now.AddMinutes(3))], reopened.Load());
    }

    [Fact]
    public void Open_CrampsOlderThanTheWindow_AreDropped()
    {
        var path = TestHosts.TempPath("history.db");
        using (var store = CrampHistoryStore.Open(path, Now.AddDays(-30)))
        {
            store.Record(Event(CrampEventKind.CrampEnded, "pi:calf:cramp:old", 10), Now.AddDays(-8));
            store.Record(Event(CrampEventKind.CrampEnded, "pi:calf:cramp:new", 10), Now.AddDays(-1));
        }

        using var reopened = CrampHistoryStore.Open(path, Now.AddDays(-7));

        Assert.Equal([new PastCramp(Now.AddDays(-1).AddSeconds(-10), TimeSpan.FromSeconds(10))], reopened.Load());
    }

    [Fact]
    public void PathBeside_Outbox_IsAHistoryFileInTheSameFolder()
    {
        Assert.Equal("/var/lib/crampsense/crampsense-outbox.history.db", CrampHistoryStore.PathBeside("/var/lib/crampsense/crampsense-outbox.db"));
    }

    private static CrampEvent Event(CrampEventKind type, string id, double durationSeconds) => new()
    {
        Type = type,
        Id = id,
        Device = "pi",
        Site = "calf",
        OnsetSeconds = 0,
        DurationSeconds = durationSeconds,
    };
}
