using CrampSense.Coaching;
using CrampSense.Detection;
using CrampSense.Wearable;
using Microsoft.Data.Sqlite;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The device's durable cramp history: one row per cramp (its event id, start and, once ended, duration) in a
/// SQLite file beside the outbox, so the coach's "frequent or long cramps → see a doctor" rule (docs/coach.md)
/// remembers the cramps of the last days across restarts. The coach itself is pure and keeps only memory.
/// </summary>
/// <remarks>
/// A file of its own rather than a table in the outbox: the outbox deletes what the broker took and owns its
/// connection and pragmas; this keeps rows for days. WAL with <c>synchronous=NORMAL</c>: a process crash loses
/// nothing, a power cut at worst the last cramp.
/// </remarks>
internal sealed class CrampHistoryStore : ICrampHistory, IDisposable
{
    private readonly SqliteConnection _connection;

    private CrampHistoryStore(SqliteConnection connection) => _connection = connection;

    /// <summary>The history file that goes with the outbox at <paramref name="outboxPath"/>: <c>name.history.db</c> beside it.</summary>
    public static string PathBeside(string outboxPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(outboxPath);
        var full = Path.GetFullPath(outboxPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".history.db");
    }

    /// <summary>Opens (or creates) the history at <paramref name="path"/> and drops cramps that started before <paramref name="keepSince"/>.</summary>
    /// <exception cref="SqliteException">The file cannot be opened or is not a history database.</exception>
    public static CrampHistoryStore Open(string path, DateTimeOffset keepSince)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // No pooling: the file must really be closed on Dispose (a restarted service or a test reopens it).
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS cramps (
                    id TEXT PRIMARY KEY,
                    site TEXT NOT NULL,
                    started_at_ms INTEGER NOT NULL,
                    duration_ms INTEGER NULL);
                """);
            using var prune = connection.CreateCommand();
            prune.CommandText = "DELETE FROM cramps WHERE started_at_ms < $since";
            prune.Parameters.AddWithValue("$since", keepSince.ToUnixTimeMilliseconds());
            prune.ExecuteNonQuery();
            return new CrampHistoryStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The cramps kept, oldest first, as the coach's <see cref="CrampCoach.SeedHistory"/> takes them.</summary>
    public IReadOnlyList<PastCramp> Load()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT started_at_ms, duration_ms FROM cramps ORDER BY started_at_ms";
        using var reader = command.ExecuteReader();
        var cramps = new List<PastCramp>();
        while (reader.Read())
        {
            var started = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0));
            TimeSpan? duration = reader.IsDBNull(1) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(1));
            cramps.Add(new PastCramp(started, duration));
        }

        return cramps;
    }

    /// <summary>
    /// Records a <c>cramp_started</c> (its start: <paramref name="at"/> less the confirmation delay it carries) or a
    /// <c>cramp_ended</c> (its duration; its start too when the start was not recorded); other events are ignored.
    /// The same event twice changes nothing. Start times follow the coach's rule, so both count the same cramps.
    /// </summary>
    public void Record(CrampEvent cramp, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        if (cramp.Type is not (CrampEventKind.CrampStarted or CrampEventKind.CrampEnded))
        {
            return;
        }

        var duration = TimeSpan.FromSeconds(cramp.DurationSeconds is { } seconds && double.IsFinite(seconds) ? Math.Max(0, seconds) : 0);
        using var command = _connection.CreateCommand();
        command.CommandText = cramp.Type == CrampEventKind.CrampStarted
            ? "INSERT OR IGNORE INTO cramps (id, site, started_at_ms) VALUES ($id, $site, $started)"
            : "INSERT INTO cramps (id, site, started_at_ms, duration_ms) VALUES ($id, $site, $started, $duration) ON CONFLICT(id) DO UPDATE SET duration_ms = excluded.duration_ms";
        command.Parameters.AddWithValue("$id", cramp.Id);
        command.Parameters.AddWithValue("$site", cramp.Site);
        command.Parameters.AddWithValue("$started", (at - duration).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$duration", (long)duration.TotalMilliseconds);
        command.ExecuteNonQuery();
    }

    /// <summary>Records a cramp the wearer reported or confirmed (after rejecting it), started at <paramref name="startedAt"/>; the same id twice changes nothing.</summary>
    public void RecordReported(string eventId, string site, DateTimeOffset startedAt)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO cramps (id, site, started_at_ms) VALUES ($id, $site, $started)";
        command.Parameters.AddWithValue("$id", eventId);
        command.Parameters.AddWithValue("$site", site);
        command.Parameters.AddWithValue("$started", startedAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>Takes out the cramp <paramref name="eventId"/> (rejected by the wearer); nothing when it is not there.</summary>
    public void Forget(string eventId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM cramps WHERE id = $id";
        command.Parameters.AddWithValue("$id", eventId);
        command.ExecuteNonQuery();
    }

    /// <summary>The port's failure contract: a full or broken disk arrives as <see cref="IOException"/>, so the dispatcher need not know SQLite.</summary>
    void ICrampHistory.Record(CrampEvent cramp, DateTimeOffset at) => Stored(cramp.Id, () => Record(cramp, at));

    void ICrampHistory.RecordReported(string eventId, string site, DateTimeOffset startedAt) => Stored(eventId, () => RecordReported(eventId, site, startedAt));

    void ICrampHistory.Forget(string eventId) => Stored(eventId, () => Forget(eventId));

    private static void Stored(string eventId, Action store)
    {
        try
        {
            store();
        }
        catch (SqliteException e)
        {
            throw new IOException($"The cramp history could not record {eventId}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
