using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CrampSense.Messaging.Outbox;

/// <summary>
/// The durable outbox: a SQLite table of messages not yet delivered. A message is committed here before it is sent
/// and removed only after the broker acknowledged it (PUBACK for QoS 1), so it survives a crash, <c>kill -9</c> and
/// a power cut, and is re-sent after a restart (at least once).
/// </summary>
/// <remarks>
/// <para>Durability: WAL journal. An enqueue commits with <c>synchronous=FULL</c> (telemetry, QoS 0, with NORMAL) (the WAL is fsync'ed before the
/// commit returns, so an accepted event survives power loss). A removal after PUBACK commits with
/// <c>synchronous=NORMAL</c>: it survives a process crash, and a power cut can at worst undo the removal, which means
/// the message is sent once more — allowed by at-least-once — in exchange for one fsync less per message. The next
/// FULL commit syncs earlier NORMAL ones too, since the WAL is written in order.</para>
/// <para>Order: messages leave by class (events and prompts, then faults, then telemetry) and within a class by
/// sequence. Every topic carries one class, so each topic keeps its order, and a telemetry backlog never delays
/// an alert.</para>
/// <para>Bounds and drop policy: messages older than <see cref="OutboxOptions.MaxAge"/> and telemetry older than
/// <see cref="OutboxOptions.TelemetryMaxAge"/> are dropped; when the stored bytes exceed
/// <see cref="OutboxOptions.MaxBytes"/> the oldest telemetry goes first, then the oldest faults, and only then the
/// oldest events and prompts. Every drop is counted per class in the file (<see cref="Statistics"/>).</para>
/// <para>Thread-safe: one connection behind a lock; enqueue and the sender may run on different threads.</para>
/// </remarks>
public sealed class SqliteOutbox : IDisposable
{
    private static readonly TimeSpan AgeCheckInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly long[] _dropped = new long[4];
    private long _rejected;
    private long _pending;
    private long _pendingBytes;
    private DateTimeOffset _nextAgeCheck = DateTimeOffset.MinValue;
    private bool _disposed;

    private SqliteOutbox(SqliteConnection connection, OutboxOptions options, TimeProvider time)
    {
        _connection = connection;
        _options = options;
        _time = time;
    }

    /// <summary>Raised (outside the lock) after messages were dropped or refused, so status can be re-sent.</summary>
    public event EventHandler? StatisticsChanged;

    /// <summary>Opens (or creates) the outbox file and recovers whatever a crash left in it.</summary>
    /// <exception cref="IOException">The file or folder cannot be created or opened; the message names the path.</exception>
    public static SqliteOutbox Open(OutboxOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPayloadBytes);
        var path = System.IO.Path.GetFullPath(options.Path);
        SqliteConnection? connection = null;
        try
        {
            var folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            // No pooling: the file must really be closed on Dispose (a restarted process or a test reopens it).
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                PRAGMA busy_timeout=5000;
                CREATE TABLE IF NOT EXISTS outbox(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    topic TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    qos INTEGER NOT NULL,
                    class INTEGER NOT NULL,
                    priority INTEGER NOT NULL,
                    msg_id TEXT NOT NULL,
                    schema TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    enqueued_ms INTEGER NOT NULL);
                -- One index per scan order, so neither sending nor dropping sorts a large backlog.
                CREATE INDEX IF NOT EXISTS outbox_send_order ON outbox(priority DESC, seq);
                CREATE INDEX IF NOT EXISTS outbox_drop_order ON outbox(priority, seq);
                CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                """);
            var outbox = new SqliteOutbox(connection, options, time ?? TimeProvider.System);
            outbox.LoadState();
            return outbox;
        }
        catch (SqliteException ex)
        {
            connection?.Dispose();
            throw new IOException($"Cannot open the MQTT outbox '{path}' (Mqtt:Outbox:Path): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            connection?.Dispose();
            throw new IOException($"Cannot create the MQTT outbox '{path}' (Mqtt:Outbox:Path): {ex.Message}", ex);
        }
    }

    /// <summary>The options in force.</summary>
    public OutboxOptions Options => _options;

    /// <summary>Pending messages and drop counts now.</summary>
    public OutboxStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new OutboxStatistics(_pending, _pendingBytes, _dropped[0], _dropped[1], _dropped[2], _dropped[3], _rejected);
            }
        }
    }

    /// <summary>Commits a message (fsync'ed) and returns its sequence number; then enforces the bounds.</summary>
    /// <exception cref="ArgumentException">The payload is larger than <see cref="OutboxOptions.MaxPayloadBytes"/>; nothing is stored.</exception>
    public long Enqueue(string topic, ReadOnlySpan<byte> payload, bool atLeastOnce, MessageClass messageClass, string messageId, string schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        if (payload.Length > _options.MaxPayloadBytes)
        {
            throw new ArgumentException(
                $"The {schema} payload '{messageId}' for topic '{topic}' has {payload.Length} bytes, more than Mqtt:MaxPayloadBytes = {_options.MaxPayloadBytes}; it was not queued.",
                nameof(payload));
        }

        var size = Encoding.UTF8.GetByteCount(topic) + payload.Length;
        var now = _time.GetUtcNow();
        long sequence;
        bool dropped;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // QoS 0 telemetry is not promised to survive anything (it is the first to be dropped), so its commit
            // needs no fsync: the service's 4 sites × 1 Hz summaries were 4 fsyncs a second in steady state.
            if (!atLeastOnce)
            {
                Execute(_connection, "PRAGMA synchronous=NORMAL;");
            }

            try
            {
                (sequence, dropped) = Insert(topic, payload, atLeastOnce, messageClass, messageId, schema, size, now);
            }
            finally
            {
                if (!atLeastOnce)
                {
                    Execute(_connection, "PRAGMA synchronous=FULL;");
                }
            }
        }

        if (dropped)
        {
            StatisticsChanged?.Invoke(this, EventArgs.Empty);
        }

        return sequence;
    }

    private (long Sequence, bool Dropped) Insert(string topic, ReadOnlySpan<byte> payload, bool atLeastOnce, MessageClass messageClass, string messageId, string schema, int size, DateTimeOffset now)
    {
        long sequence;
        bool dropped;
        using var transaction = _connection.BeginTransaction();
        using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO outbox(topic, payload, qos, class, priority, msg_id, schema, size, enqueued_ms)
                VALUES ($topic, $payload, $qos, $class, $priority, $id, $schema, $size, $now);
                SELECT last_insert_rowid();
                """;
            insert.Parameters.AddWithValue("$topic", topic);
            insert.Parameters.AddWithValue("$payload", payload.ToArray());
            insert.Parameters.AddWithValue("$qos", atLeastOnce ? 1 : 0);
            insert.Parameters.AddWithValue("$class", (int)messageClass);
            insert.Parameters.AddWithValue("$priority", Priority(messageClass));
            insert.Parameters.AddWithValue("$id", messageId);
            insert.Parameters.AddWithValue("$schema", schema);
            insert.Parameters.AddWithValue("$size", size);
            insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            sequence = (long)insert.ExecuteScalar()!;
        }

        _pending++;
        _pendingBytes += size;
        dropped = PruneExpired(transaction, now) | PruneToSize(transaction);
        transaction.Commit();

        return (sequence, dropped);
    }

    /// <summary>The next messages to send, at most <paramref name="max"/>: events and prompts first, then faults, then telemetry; by sequence within each.</summary>
    public IReadOnlyList<OutboxMessage> PeekNext(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var result = new List<OutboxMessage>(Math.Min(max, 64));
        bool dropped;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            if (now >= _nextAgeCheck)
            {
                using var transaction = _connection.BeginTransaction();
                dropped = PruneExpired(transaction, now);
                transaction.Commit();
            }
            else
            {
                dropped = false;
            }

            using var select = _connection.CreateCommand();
            select.CommandText = """
                SELECT seq, topic, payload, qos, class, msg_id, schema, enqueued_ms FROM outbox
                ORDER BY priority DESC, seq LIMIT $max
                """;
            select.Parameters.AddWithValue("$max", max);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                result.Add(new OutboxMessage(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    (byte[])reader.GetValue(2),
                    reader.GetInt32(3) == 1,
                    (MessageClass)reader.GetInt32(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetInt64(7)));
            }
        }

        if (dropped)
        {
            StatisticsChanged?.Invoke(this, EventArgs.Empty);
        }

        return result;
    }

    /// <summary>Removes a delivered message (after its PUBACK). False when it was already gone (dropped meanwhile).</summary>
    public bool Remove(long sequence) => Delete(sequence, rejected: false);

    /// <summary>Removes a message the broker refused, counting it as rejected, so it cannot block the queue.</summary>
    public bool Reject(long sequence)
    {
        var removed = Delete(sequence, rejected: true);
        if (removed)
        {
            StatisticsChanged?.Invoke(this, EventArgs.Empty);
        }

        return removed;
    }

    /// <summary>Adds one to a named counter kept in the file and returns the new value.</summary>
    public long IncrementCounter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO counters(name, value) VALUES ($name, 1)
                ON CONFLICT(name) DO UPDATE SET value = value + 1;
                SELECT value FROM counters WHERE name = $name;
                """;
            command.Parameters.AddWithValue("$name", name);
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>
    /// Sets the counter <paramref name="name"/> to <paramref name="value"/>; with <paramref name="onlyIfPresent"/>,
    /// only a counter that exists is changed. Returns false when nothing was set.
    /// </summary>
    public bool SetCounter(string name, long value, bool onlyIfPresent = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = onlyIfPresent
                ? "UPDATE counters SET value = $value WHERE name = $name"
                : "INSERT INTO counters(name, value) VALUES ($name, $value) ON CONFLICT(name) DO UPDATE SET value = $value";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$value", value);
            return command.ExecuteNonQuery() > 0;
        }
    }

    /// <summary>The sum of the counters whose name starts with <paramref name="prefix"/> (0 when there are none).</summary>
    public long SumCounters(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(SUM(value), 0) FROM counters WHERE substr(name, 1, length($prefix)) = $prefix";
            command.Parameters.AddWithValue("$prefix", prefix);
            return command.ExecuteScalar() is long value ? value : 0;
        }
    }

    /// <summary>The value of a named counter (0 when never incremented).</summary>
    public long ReadCounter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ReadCounter(null, name);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private static int Priority(MessageClass messageClass) => messageClass switch
    {
        MessageClass.Telemetry => 0,
        MessageClass.Fault => 1,
        _ => 2,
    };

    private static string DropCounterName(int messageClass) => "dropped:" + ((MessageClass)messageClass).ToString().ToLowerInvariant();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private bool Delete(long sequence, bool rejected)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // See the class remarks: a removal may be undone by a power cut (one more send), so no fsync for it.
            Execute(_connection, "PRAGMA synchronous=NORMAL;");
            try
            {
                using var transaction = _connection.BeginTransaction();
                using var delete = _connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM outbox WHERE seq = $seq RETURNING size";
                delete.Parameters.AddWithValue("$seq", sequence);
                var size = delete.ExecuteScalar();
                if (size is null)
                {
                    return false;
                }

                _pending--;
                _pendingBytes -= (long)size;
                if (rejected)
                {
                    AddToCounter(transaction, "rejected", 1);
                    _rejected++;
                }

                transaction.Commit();
                return true;
            }
            finally
            {
                Execute(_connection, "PRAGMA synchronous=FULL;");
            }
        }
    }

    private void LoadState()
    {
        lock (_gate)
        {
            using (var totals = _connection.CreateCommand())
            {
                totals.CommandText = "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM outbox";
                using var reader = totals.ExecuteReader();
                reader.Read();
                _pending = reader.GetInt64(0);
                _pendingBytes = reader.GetInt64(1);
            }

            for (var c = 0; c < _dropped.Length; c++)
            {
                _dropped[c] = ReadCounter(null, DropCounterName(c));
            }

            _rejected = ReadCounter(null, "rejected");
        }
    }

    private long ReadCounter(SqliteTransaction? transaction, string name)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM counters WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is long value ? value : 0;
    }

    private void AddToCounter(SqliteTransaction transaction, string name, long amount)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO counters(name, value) VALUES ($name, $amount)
            ON CONFLICT(name) DO UPDATE SET value = value + $amount
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$amount", amount);
        command.ExecuteNonQuery();
    }

    private bool PruneExpired(SqliteTransaction transaction, DateTimeOffset now)
    {
        if (now < _nextAgeCheck)
        {
            return false;
        }

        _nextAgeCheck = now + AgeCheckInterval;
        var oldest = (now - _options.MaxAge).ToUnixTimeMilliseconds();
        var oldestTelemetry = (now - _options.TelemetryMaxAge).ToUnixTimeMilliseconds();
        return DeleteWhere(
            transaction,
            "enqueued_ms < $oldest OR (class = $telemetry AND enqueued_ms < $oldestTelemetry)",
            command =>
            {
                command.Parameters.AddWithValue("$oldest", oldest);
                command.Parameters.AddWithValue("$telemetry", (int)MessageClass.Telemetry);
                command.Parameters.AddWithValue("$oldestTelemetry", oldestTelemetry);
            });
    }

    private bool PruneToSize(SqliteTransaction transaction)
    {
        if (_pendingBytes <= _options.MaxBytes)
        {
            return false;
        }

        // Lowest priority first, oldest first within it; just enough rows to get under the bound.
        var victims = new List<long>();
        var excess = _pendingBytes - _options.MaxBytes;
        using (var select = _connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT seq, size FROM outbox ORDER BY priority, seq";
            using var reader = select.ExecuteReader();
            while (excess > 0 && reader.Read())
            {
                victims.Add(reader.GetInt64(0));
                excess -= reader.GetInt64(1);
            }
        }

        var victimList = string.Join(',', victims.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return DeleteWhere(transaction, $"seq IN ({victimList})", _ => { });
    }

    private bool DeleteWhere(SqliteTransaction transaction, string condition, Action<SqliteCommand> bind)
    {
        using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
#pragma warning disable CA2100 // The condition is one of two constant strings built here; values are bound as parameters or are integers from the table.
        delete.CommandText = $"DELETE FROM outbox WHERE {condition} RETURNING class, size";
#pragma warning restore CA2100
        bind(delete);
        var counts = new long[_dropped.Length];
        var any = false;
        using (var reader = delete.ExecuteReader())
        {
            while (reader.Read())
            {
                counts[reader.GetInt32(0)]++;
                _pending--;
                _pendingBytes -= reader.GetInt64(1);
                any = true;
            }
        }

        for (var c = 0; c < counts.Length; c++)
        {
            if (counts[c] > 0)
            {
                AddToCounter(transaction, DropCounterName(c), counts[c]);
                _dropped[c] += counts[c];
            }
        }

        return any;
    }
}
