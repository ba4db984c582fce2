using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using static CrampSense.ServiceDefaults.ConfigurationValues;

namespace CrampSense.Bridge.Configuration;

/// <summary>
/// Settings of the MQTT → InfluxDB bridge. Keys: the <c>Mqtt:*</c> keys of the messaging library (docs/mqtt.md;
/// <c>Mqtt:Host</c> is required here), <c>InfluxDB:*</c> and <c>Bridge:*</c> (docs/influxdb.md has the table). In
/// appsettings sections, on the command line (<c>--InfluxDB:Url=…</c>) or as environment variables with the
/// <c>CRAMPSENSE_</c> prefix and <c>__</c> between levels (<c>CRAMPSENSE_InfluxDB__Token</c>).
/// </summary>
/// <remarks>A class, not a record: a record's generated <c>ToString</c> would print the token.</remarks>
public sealed class BridgeOptions
{
    /// <summary>The broker connection (<c>Mqtt:*</c>), read by <see cref="MessagingOptions.FromConfiguration"/>.</summary>
    public required MessagingOptions Mqtt { get; init; }

    /// <summary><c>InfluxDB:Url</c>: base URL of InfluxDB 2.x (or anything serving <c>/api/v2/write</c>).</summary>
    public required Uri InfluxUrl { get; init; }

    /// <summary><c>InfluxDB:Token</c>, or the first line of <c>InfluxDB:TokenFile</c> (the file wins). Never logged.</summary>
    public required string InfluxToken { get; init; }

    /// <summary><c>InfluxDB:Org</c>.</summary>
    public required string InfluxOrg { get; init; }

    /// <summary><c>InfluxDB:Bucket</c>.</summary>
    public required string InfluxBucket { get; init; }

    /// <summary><c>InfluxDB:TimeoutSeconds</c>: one write request's timeout.</summary>
    public TimeSpan InfluxTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Bridge:InstanceId</c>: names this bridge in its client id and status topic; default the host name.</summary>
    public required string InstanceId { get; init; }

    /// <summary>
    /// True (the broker keeps the session while the bridge is away, <see cref="SessionExpiry"/>) only when
    /// <c>Bridge:InstanceId</c> is configured. A shared subscription in a kept session keeps its share of the group's
    /// messages for that session alone: under a host-name id that changes with every container, each old session would
    /// hold a share until it expires (500 of 1000 messages waited for a gone "old-host"). Without a configured id the
    /// bridge therefore starts clean and the broker forgets it on disconnect: nothing waits for it, but what it held
    /// unacknowledged then, and anything published while no bridge of the group is connected, is lost (docs/influxdb.md).
    /// </summary>
    public bool PersistentSession { get; init; } = true;

    /// <summary><c>Bridge:ShareGroup</c>: the MQTT 5 shared-subscription group; bridges in one group split the load.</summary>
    public string ShareGroup { get; init; } = DefaultShareGroup;

    /// <summary>
    /// <c>Bridge:BatchSize</c>: a batch is written when it holds this many points … Default half the receive maximum,
    /// so one batch fills while the one before is written and acknowledged.
    /// </summary>
    public int BatchSize { get; init; } = 2500;

    /// <summary><c>Bridge:FlushIntervalMilliseconds</c>: … or when its first point has waited this long.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary><c>Bridge:LingerMilliseconds</c>: … or when no new point came for this long.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// <c>Bridge:MaxInFlight</c>: capacity of the bridge's queues. When they are full the workers stop taking messages
    /// from the intake, where QoS 0 messages beyond this many are shed (counted in <c>shed</c>) and QoS 1 messages
    /// have <see cref="ReceiveMaximum"/> places of their own (the broker sends no more unacknowledged).
    /// </summary>
    public int MaxInFlight { get; init; } = 5000;

    /// <summary>
    /// <c>Bridge:ReceiveMaximum</c>: the MQTT 5 receive maximum sent to the broker: it sends no more QoS 1 messages
    /// while this many are unacknowledged, which bounds memory while the database is slow or down. The default 5000 keeps
    /// a bridge at 23 000 messages/s under 150 MB (docs/influxdb.md, "Throughput"); 65535 (the protocol's limit) added
    /// about 40 MB and no speed.
    /// </summary>
    public int ReceiveMaximum { get; init; } = DefaultReceiveMaximum;

    /// <summary><c>Bridge:RetryMinSeconds</c>: first wait after a failed write; doubles (with jitter) up to the maximum.</summary>
    public TimeSpan RetryMinDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary><c>Bridge:RetryMaxSeconds</c>.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Bridge:SessionExpirySeconds</c>: how long the broker keeps the session (and unacknowledged messages) while the bridge is away.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(7);

    /// <summary><c>Bridge:StatusIntervalSeconds</c>: how often the retained bridge status is refreshed.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Room for the topic, packet id and properties beside the payload in the bridge's MQTT maximum packet size. A
    /// contract topic is under 60 bytes; a publisher's user properties count too.
    /// </summary>
    public const int PacketOverheadBytes = 4096;

    /// <summary>The MQTT 5 maximum packet size the bridge announces: <c>Mqtt:MaxPayloadBytes</c> + <see cref="PacketOverheadBytes"/>.</summary>
    public uint MaximumPacketSize => (uint)Mqtt.MaxPayloadBytes + PacketOverheadBytes;

    /// <summary>The share group used when <c>Bridge:ShareGroup</c> is not set.</summary>
    public const string DefaultShareGroup = "crampsense-bridge";

    /// <summary>The default <see cref="ReceiveMaximum"/>.</summary>
    public const int DefaultReceiveMaximum = 5000;

    /// <summary>The MQTT client id: <c>Mqtt:ClientId</c>, else <c>crampsense-bridge-&lt;instance&gt;</c>. Stable, so the persistent session survives restarts.</summary>
    public string ClientId => Mqtt.ClientId ?? $"crampsense-bridge-{InstanceId}";

    /// <summary>The topic filters the bridge subscribes to (one shared subscription per contract topic kind).</summary>
    public IReadOnlyList<string> TopicFilters =>
        [.. BridgeTopics.Kinds.Select(kind => $"$share/{ShareGroup}/{ContractTopics.Root}/+/{kind}")];

    /// <summary>The retained status topic of this bridge.</summary>
    public string StatusTopic => BridgeTopics.Status(InstanceId);

    /// <summary>
    /// Reads and validates every key. <c>Device:Id</c> is not needed: the messaging options get the instance id there.
    /// </summary>
    /// <exception cref="BridgeConfigurationException">A value is missing, cannot be parsed or is invalid; each problem names its key.</exception>
    public static BridgeOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return KeyedOptions.Load(problems => Read(configuration, problems), o => o.Validate(), problems => new BridgeConfigurationException(problems));
    }

    /// <summary>Every problem with these options' values, each starting with its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!DeviceId.IsValid(InstanceId))
        {
            problems.Add($"Bridge:InstanceId: '{InstanceId}' must be 1–{DeviceId.MaxLength} characters from a–z, 0–9 and '-' (it becomes a topic level and part of the client id).");
        }

        if (Mqtt is { UsesEmbeddedBroker: true })
        {
            problems.Add("Mqtt:Host: the bridge needs a broker host (the embedded broker is only for a wearable).");
        }

        if (ShareGroup.Any(c => c is '/' or '+' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)) || ShareGroup.Length > 64)
        {
            problems.Add($"Bridge:ShareGroup: '{ShareGroup}' must be 1–64 characters without '/', '+', '#' or spaces.");
        }

        if (MaxInFlight < BatchSize)
        {
            problems.Add($"Bridge:MaxInFlight: {MaxInFlight} is below Bridge:BatchSize ({BatchSize}); a batch could never fill.");
        }

        if (RetryMaxDelay < RetryMinDelay)
        {
            problems.Add("Bridge:RetryMaxSeconds: must not be below Bridge:RetryMinSeconds.");
        }

        return problems;
    }

    /// <summary>Reads the keys: a missing required key or an unreadable value adds a problem naming it (the default is kept).</summary>
    private static BridgeOptions Read(IConfiguration configuration, List<string> problems)
    {
        var configuredInstance = Text(configuration, "Bridge:InstanceId");
        var instance = configuredInstance ?? DefaultInstanceId();

        // The messaging options insist on a device id (the wearable's); the bridge stands in its instance id.
        var mqttSection = new ConfigurationBuilder()
            .AddConfiguration(configuration)
            .AddInMemoryCollection([new("Device:Id", DeviceId.IsValid(instance) ? instance : "bridge")])
            .Build();
        MessagingOptions? mqtt = null;
        try
        {
            mqtt = MessagingOptions.FromConfiguration(mqttSection);
        }
        catch (MessagingConfigurationException ex)
        {
            problems.AddRange(ex.Problems);
        }

        Uri? url = null;
        var urlText = Text(configuration, "InfluxDB:Url");
        if (urlText is null)
        {
            problems.Add("InfluxDB:Url: required, e.g. http://influxdb:8086.");
        }
        else if (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
        {
            problems.Add($"InfluxDB:Url: '{urlText}' is not an absolute http:// or https:// URL.");
        }

        var tokenFile = Text(configuration, "InfluxDB:TokenFile");
        var token = Text(configuration, "InfluxDB:Token");
        if (tokenFile is not null)
        {
            try
            {
                token = File.ReadLines(tokenFile).FirstOrDefault()?.Trim();
                if (string.IsNullOrEmpty(token))
                {
                    problems.Add($"InfluxDB:TokenFile: '{tokenFile}' is empty.");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"InfluxDB:TokenFile: cannot read '{tokenFile}': {ex.Message}");
            }
        }
        else if (token is null)
        {
            problems.Add("InfluxDB:Token: required (or InfluxDB:TokenFile naming a file that holds it); environment: CRAMPSENSE_InfluxDB__Token.");
        }

        var org = Text(configuration, "InfluxDB:Org");
        if (org is null)
        {
            problems.Add("InfluxDB:Org: required (the InfluxDB organisation name).");
        }

        var bucket = Text(configuration, "InfluxDB:Bucket");
        if (bucket is null)
        {
            problems.Add("InfluxDB:Bucket: required (the bucket, or for InfluxQL the database/retention policy mapped to it).");
        }

        var defaults = new { BatchSize = 2500, FlushMs = 250.0, MaxInFlight = 5000, RetryMin = 0.5, RetryMax = 30.0, SessionExpiry = 7 * 86400.0, Status = 30.0, Timeout = 10.0 };
        return new BridgeOptions
        {
            Mqtt = mqtt!,
            InfluxUrl = url!,
            InfluxToken = token ?? "",
            InfluxOrg = org ?? "",
            InfluxBucket = bucket ?? "",
            InfluxTimeout = TimeSpan.FromSeconds(PositiveNumber(configuration, "InfluxDB:TimeoutSeconds", problems, 3600) ?? defaults.Timeout),
            InstanceId = instance,
            PersistentSession = configuredInstance is not null,
            ShareGroup = Text(configuration, "Bridge:ShareGroup") ?? DefaultShareGroup,
            BatchSize = WholeNumber(configuration, "Bridge:BatchSize", problems, 1, 100_000) ?? defaults.BatchSize,
            FlushInterval = TimeSpan.FromMilliseconds(PositiveNumber(configuration, "Bridge:FlushIntervalMilliseconds", problems, 3_600_000) ?? defaults.FlushMs),
            Linger = TimeSpan.FromMilliseconds(PositiveNumber(configuration, "Bridge:LingerMilliseconds", problems, 3_600_000) ?? 5),
            MaxInFlight = WholeNumber(configuration, "Bridge:MaxInFlight", problems, 1, ushort.MaxValue) ?? defaults.MaxInFlight,
            ReceiveMaximum = WholeNumber(configuration, "Bridge:ReceiveMaximum", problems, 1, ushort.MaxValue) ?? DefaultReceiveMaximum,
            RetryMinDelay = Seconds(configuration, "Bridge:RetryMinSeconds", problems, 3600) ?? TimeSpan.FromSeconds(defaults.RetryMin),
            RetryMaxDelay = Seconds(configuration, "Bridge:RetryMaxSeconds", problems, 3600) ?? TimeSpan.FromSeconds(defaults.RetryMax),
            SessionExpiry = TimeSpan.FromSeconds(PositiveNumber(configuration, "Bridge:SessionExpirySeconds", problems, uint.MaxValue) ?? defaults.SessionExpiry),
            StatusInterval = TimeSpan.FromSeconds(PositiveNumber(configuration, "Bridge:StatusIntervalSeconds", problems, 86400) ?? defaults.Status),
        };
    }

    /// <summary>The host name in lower case with characters outside a–z, 0–9 and '-' replaced, cut to the id length.</summary>
    internal static string DefaultInstanceId()
    {
        var name = new string([.. Environment.MachineName.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-')]);
        return name.Length == 0 ? "bridge" : name[..Math.Min(name.Length, DeviceId.MaxLength)];
    }
}
