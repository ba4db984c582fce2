using System.Buffers;
using System.Text.Json;
using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Validation;
using CrampSense.Contract;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// The bridge's retained status on <see cref="BridgeOptions.StatusTopic"/> (state, database health, the counters,
/// its share group and session) and what it reads from the other bridges' statuses: which of the group are offline
/// with a kept session, so the group is split.
/// </summary>
internal sealed partial class BridgeStatusPublisher
{
    private readonly BridgeOptions _options;
    private readonly IMqttClient _client;
    private readonly BridgeStatistics _statistics;
    private readonly Func<bool> _databaseFailing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, BridgeStatus> _peers = new(StringComparer.Ordinal);
    private string _reportedSplit = "";

    public BridgeStatusPublisher(BridgeOptions options, IMqttClient client, BridgeStatistics statistics, Func<bool> databaseFailing, TimeProvider time, ILogger logger)
    {
        _options = options;
        _client = client;
        _statistics = statistics;
        _databaseFailing = databaseFailing;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long the broker keeps the session (s): 0 without a persistent session.</summary>
    public static double SessionExpirySeconds(BridgeOptions options) =>
        options.PersistentSession ? Math.Min(uint.MaxValue, Math.Floor(options.SessionExpiry.TotalSeconds)) : 0;

    /// <summary>The last will: <c>offline</c> with the share group and session, so the others see a split.</summary>
    public byte[] WillPayload() => JsonSerializer.SerializeToUtf8Bytes(
        new BridgeStatus
        {
            State = StatusMessage.Offline, Bridge = _options.InstanceId, Time = ContractTime.Format(_time.GetUtcNow()),
            ShareGroup = _options.ShareGroup, PersistentSession = _options.PersistentSession, SessionExpirySeconds = SessionExpirySeconds(_options),
        },
        BridgeJsonContext.Default.BridgeStatus);

    /// <summary>Remembers another bridge's retained status (an empty payload clears it).</summary>
    public void OnPeerStatus(MqttApplicationMessage message)
    {
        var instance = message.Topic.Split('/') is { Length: 5 } levels ? levels[3] : null;
        if (instance is null || instance == _options.InstanceId)
        {
            return;
        }

        BridgeStatus? status = null;
        try
        {
            status = message.Payload.IsEmpty ? null : ReadStatus(message.Payload);
        }
        catch (JsonException)
        {
            // Not a bridge status (anyone with write access could put one there): ignored.
        }

        lock (_peers)
        {
            if (status is null)
            {
                _peers.Remove(instance);
            }
            else
            {
                _peers[instance] = status;
            }
        }
    }

    /// <summary>Publishes the retained status with <paramref name="state"/> (<c>online</c> or <c>offline</c>).</summary>
    public async Task PublishAsync(string state, CancellationToken cancellationToken)
    {
        var split = SplitFrom();
        var splitText = string.Join(", ", split);
        if (splitText != _reportedSplit)
        {
            _reportedSplit = splitText;
            if (split.Count > 0)
            {
                LogGroupSplit(_logger, _options.ShareGroup, splitText);
            }
        }

        var stats = _statistics;
        var status = new BridgeStatus
        {
            State = state,
            Bridge = _options.InstanceId,
            Time = ContractTime.Format(_time.GetUtcNow()),
            Database = _databaseFailing() ? "failing" : "ok",
            Received = stats.Received,
            Written = stats.Written,
            Acknowledged = stats.Acknowledged,
            DeadLettered = stats.DeadLettered,
            Shed = stats.Shed,
            WriteFailures = stats.WriteFailures,
            InFlight = stats.InFlight,
            Unacknowledged = stats.Unacknowledged,
            PeakUnacknowledged = stats.PeakUnacknowledged,
            LastWriteError = stats.LastWriteError,
            ShareGroup = _options.ShareGroup,
            PersistentSession = _options.PersistentSession,
            SessionExpirySeconds = SessionExpirySeconds(_options),
            Split = split.Count > 0 ? split : null,
        };
        await _client.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(_options.StatusTopic)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(status, BridgeJsonContext.Default.BridgeStatus))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(true)
                .WithContentType("application/json")
                .Build(),
            cancellationToken).ConfigureAwait(false);
    }

    private static BridgeStatus? ReadStatus(ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        return JsonSerializer.Deserialize(ref reader, BridgeJsonContext.Default.BridgeStatus);
    }

    /// <summary>
    /// The other bridges of this share group that are offline with a session the broker still keeps (by their last
    /// status: its time plus their session expiry is ahead), sorted; empty when the group is whole.
    /// </summary>
    private List<string> SplitFrom()
    {
        var now = _time.GetUtcNow();
        lock (_peers)
        {
            return [.. _peers.Values
                .Where(p => p.ShareGroup == _options.ShareGroup && p.State == StatusMessage.Offline && p.PersistentSession == true
                    && ContractTime.TryParse(p.Time, out var at)
                    && at.AddSeconds(p.SessionExpirySeconds ?? 0) > now)
                .Select(p => p.Bridge)
                .Order(StringComparer.Ordinal)];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Share group {Group} is split: {Instances} offline with kept sessions; the broker holds their share of the messages until they come back or their sessions expire (remove a bridge for good by starting it once with Bridge:SessionExpirySeconds small, or wait out the expiry).")]
    private static partial void LogGroupSplit(ILogger logger, string group, string instances);
}
