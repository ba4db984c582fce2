using System.Globalization;
using System.Net;
using CrampSense.Contract;
using CrampSense.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using static CrampSense.ServiceDefaults.ConfigurationValues;

namespace CrampSense.Messaging.Configuration;

/// <summary>
/// Settings of the MQTT publisher, its outbox and the embedded broker. The same keys in every program: appsettings
/// sections (<c>"Mqtt": { "Host": … }</c>) or environment variables with the <c>CRAMPSENSE_</c> prefix and <c>__</c>
/// between levels (<c>CRAMPSENSE_Mqtt__Host</c>). Read them with <see cref="FromConfiguration"/>; check hand-made
/// options with <see cref="Validate"/>. See docs/mqtt.md for the table of keys.
/// </summary>
public sealed class MessagingOptions
{
    /// <summary>
    /// Default bound on the outbox's stored payloads (<c>Mqtt:Outbox:MaxMegabytes</c>). 64 MB holds about three days of
    /// 1 Hz telemetry for three sites plus thousands of events, yet stays small beside a Pi's SD card.
    /// </summary>
    public const long DefaultOutboxMaxBytes = 64L * 1024 * 1024;

    /// <summary>Broker host (<c>Mqtt:Host</c>); null or empty: start the embedded broker and connect to it.</summary>
    public string? Host { get; init; }

    /// <summary>Broker port (<c>Mqtt:Port</c>); 1883, or 8883 with TLS, when not given.</summary>
    public int? Port { get; init; }

    /// <summary><c>Mqtt:Username</c>.</summary>
    public string? Username { get; init; }

    /// <summary><c>Mqtt:Password</c>, or the first line of <c>Mqtt:PasswordFile</c> (the file wins).</summary>
    public string? Password { get; init; }

    /// <summary><c>Mqtt:PasswordFile</c>: a file holding the password (e.g. a systemd credential), read at start.</summary>
    public string? PasswordFile { get; init; }

    /// <summary><c>Mqtt:UseTls</c>.</summary>
    public bool UseTls { get; init; }

    /// <summary><c>Mqtt:CaFile</c>: PEM CA certificate(s) the broker's certificate must chain to; without it the system store is used.</summary>
    public string? CaFile { get; init; }

    /// <summary><c>Mqtt:ClientCertFile</c>: client certificate for mutual TLS, PEM (key in <see cref="ClientKeyFile"/> or the same file) or PKCS#12.</summary>
    public string? ClientCertFile { get; init; }

    /// <summary><c>Mqtt:ClientKeyFile</c>: PEM private key of the client certificate, when not in the certificate file.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary><c>Mqtt:ClientId</c>; default <c>crampsense-&lt;device&gt;</c>.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>Mqtt:KeepAliveSeconds</c>: MQTT keep-alive, and how often the supervisor pings.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>Mqtt:ReconnectMinSeconds</c>: first wait after a failed connect; doubles up to the maximum.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Mqtt:ReconnectMaxSeconds</c>.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Mqtt:TimeoutSeconds</c>: connect and PUBACK timeout.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Mqtt:StatusIntervalSeconds</c>: the retained status is refreshed this often (and at once on a drop).</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>Mqtt:MaxPayloadBytes</c>: larger payloads are refused with an error.</summary>
    public int MaxPayloadBytes { get; init; } = 64 * 1024;

    /// <summary><c>Mqtt:Outbox:Path</c>.</summary>
    public string OutboxPath { get; init; } = "crampsense-outbox.db";

    /// <summary><c>Mqtt:Outbox:MaxMegabytes</c> (as bytes).</summary>
    public long OutboxMaxBytes { get; init; } = DefaultOutboxMaxBytes;

    /// <summary><c>Mqtt:Outbox:MaxAgeDays</c>.</summary>
    public TimeSpan OutboxMaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary><c>Mqtt:Outbox:TelemetryMaxAgeMinutes</c>.</summary>
    public TimeSpan OutboxTelemetryMaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>Mqtt:HomeAssistant:Enabled</c>: publish discovery and answer Home Assistant's birth message.</summary>
    public bool HomeAssistantDiscovery { get; init; } = true;

    /// <summary><c>Mqtt:HomeAssistant:Prefix</c>.</summary>
    public string HomeAssistantPrefix { get; init; } = "homeassistant";

    /// <summary><c>Mqtt:Broker:BindAddress</c>: where the embedded broker listens.</summary>
    public string BrokerBindAddress { get; init; } = "127.0.0.1";

    /// <summary><c>Mqtt:Broker:Port</c>: the embedded broker's port.</summary>
    public int BrokerPort { get; init; } = 1883;

    /// <summary><c>Device:Id</c>: topic level and Home Assistant object id (<see cref="Contract.DeviceId"/>).</summary>
    public string DeviceId { get; init; } = "";

    /// <summary><c>Device:Name</c>: the name Home Assistant shows; default the id.</summary>
    public string? DeviceName { get; init; }

    /// <summary><c>Device:Sites</c> (array or comma list): the muscle sites worn, for Home Assistant entities.</summary>
    public IReadOnlyList<string> Sites { get; init; } = ["calf"];

    /// <summary>True when no broker is configured and the embedded one should be used.</summary>
    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Host);

    /// <summary>The port to connect to: the configured one, else 8883 with TLS, 1883 without; the embedded broker's port when there is no host.</summary>
    public int EffectivePort => UsesEmbeddedBroker ? BrokerPort : Port ?? (UseTls ? 8883 : 1883);

    /// <summary>The host to connect to (<c>127.0.0.1</c> for the embedded broker).</summary>
    public string EffectiveHost => UsesEmbeddedBroker ? EmbeddedBrokerHost : Host!;

    /// <summary>
    /// Where the publisher reaches the embedded broker: its bind address, or loopback when it listens on every address
    /// (0.0.0.0 / ::). Connecting to 127.0.0.1 whatever the bind address was would never reach a broker bound to, say,
    /// 192.168.1.20.
    /// </summary>
    private string EmbeddedBrokerHost => !IPAddress.TryParse(BrokerBindAddress, out var address) ? "127.0.0.1"
        : address.Equals(IPAddress.Any) ? "127.0.0.1"
        : address.Equals(IPAddress.IPv6Any) ? "::1"
        : address.ToString();

    /// <summary>Every problem with these options, each starting with its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Contract.DeviceId.IsValid(DeviceId))
        {
            problems.Add(Contract.DeviceId.Describe(DeviceId, "Device:Id"));
        }

        if (Host is not null && (Host.Length == 0 || Host.Any(c => char.IsWhiteSpace(c) || c == '/')))
        {
            problems.Add($"Mqtt:Host: '{Host}' is not a host name or address (no spaces, no scheme or path).");
        }

        CheckPort(problems, "Mqtt:Port", Port);
        CheckPort(problems, "Mqtt:Broker:Port", BrokerPort);
        if (Password is not null && Username is null)
        {
            problems.Add("Mqtt:Username: a password is configured but no user name.");
        }

        if (Username is not null && string.IsNullOrEmpty(Password) && ClientCertFile is null)
        {
            // An empty password would log in to any broker that checks only the user name, and makes the embedded
            // broker's login a user name anyone can guess. With a client certificate the certificate is the credential.
            problems.Add("Mqtt:Password: Mqtt:Username is set but no password (set Mqtt:Password or Mqtt:PasswordFile).");
        }

        if (IPAddress.TryParse(BrokerBindAddress, out var bind) && (bind.Equals(IPAddress.Broadcast) || IsMulticast(bind)))
        {
            problems.Add($"Mqtt:Broker:BindAddress: '{BrokerBindAddress}' is a broadcast or multicast address; the embedded broker cannot listen there.");
        }

        if (!UseTls && (CaFile is not null || ClientCertFile is not null))
        {
            problems.Add("Mqtt:UseTls: Mqtt:CaFile or Mqtt:ClientCertFile is set but TLS is off; set Mqtt:UseTls to true.");
        }

        CheckFile(problems, "Mqtt:CaFile", CaFile);
        CheckFile(problems, "Mqtt:ClientCertFile", ClientCertFile);
        CheckFile(problems, "Mqtt:ClientKeyFile", ClientKeyFile);
        if (ClientKeyFile is not null && ClientCertFile is null)
        {
            problems.Add("Mqtt:ClientKeyFile: a client key is configured without Mqtt:ClientCertFile.");
        }

        if (ClientId is not null && (ClientId.Length is 0 or > 128 || ClientId.Any(c => c is '/' or '+' or '#' || char.IsControl(c))))
        {
            problems.Add($"Mqtt:ClientId: '{ClientId}' must be 1–128 characters without '/', '+', '#' or control characters.");
        }

        CheckPositive(problems, "Mqtt:KeepAliveSeconds", KeepAlive, TimeSpan.FromSeconds(65535));
        CheckPositive(problems, "Mqtt:ReconnectMinSeconds", ReconnectMinDelay, TimeSpan.FromHours(1));
        CheckPositive(problems, "Mqtt:ReconnectMaxSeconds", ReconnectMaxDelay, TimeSpan.FromHours(1));
        if (ReconnectMaxDelay < ReconnectMinDelay)
        {
            problems.Add("Mqtt:ReconnectMaxSeconds: must not be below Mqtt:ReconnectMinSeconds.");
        }

        CheckPositive(problems, "Mqtt:TimeoutSeconds", OperationTimeout, TimeSpan.FromHours(1));
        CheckPositive(problems, "Mqtt:StatusIntervalSeconds", StatusInterval, TimeSpan.FromDays(1));
        if (MaxPayloadBytes is < 256 or > 256 * 1024 * 1024)
        {
            problems.Add($"Mqtt:MaxPayloadBytes: {MaxPayloadBytes} is outside 256 … 268435456 (MQTT's limit).");
        }

        if (string.IsNullOrWhiteSpace(OutboxPath))
        {
            problems.Add("Mqtt:Outbox:Path: a file path is required.");
        }

        if (OutboxMaxBytes < MaxPayloadBytes)
        {
            problems.Add($"Mqtt:Outbox:MaxMegabytes: the outbox ({OutboxMaxBytes} bytes) must hold at least one payload of Mqtt:MaxPayloadBytes ({MaxPayloadBytes}).");
        }

        CheckPositive(problems, "Mqtt:Outbox:MaxAgeDays", OutboxMaxAge, TimeSpan.FromDays(3650));
        CheckPositive(problems, "Mqtt:Outbox:TelemetryMaxAgeMinutes", OutboxTelemetryMaxAge, TimeSpan.FromDays(3650));
        if (string.IsNullOrWhiteSpace(HomeAssistantPrefix) || HomeAssistantPrefix.Any(c => c is '+' or '#' || char.IsWhiteSpace(c)))
        {
            problems.Add($"Mqtt:HomeAssistant:Prefix: '{HomeAssistantPrefix}' is not a topic prefix.");
        }

        if (!IPAddress.TryParse(BrokerBindAddress, out _))
        {
            problems.Add($"Mqtt:Broker:BindAddress: '{BrokerBindAddress}' is not an IP address.");
        }

        if (Sites.Count == 0)
        {
            problems.Add("Device:Sites: at least one muscle site is required.");
        }

        foreach (var site in Sites)
        {
            if (!SiteName.IsValid(site))
            {
                problems.Add($"Device:Sites: '{site}' must be 1–64 characters from a–z, 0–9, '_' and '-'.");
            }
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems.</summary>
    /// <exception cref="MessagingConfigurationException">Lists every problem with its key.</exception>
    public MessagingOptions ThrowIfInvalid()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new MessagingConfigurationException(problems);
    }

    /// <summary>
    /// Reads the <c>Mqtt</c> and <c>Device</c> sections, reads <c>Mqtt:PasswordFile</c>, and validates.
    /// </summary>
    /// <exception cref="MessagingConfigurationException">A value cannot be parsed or is invalid; every problem names its key.</exception>
    public static MessagingOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return KeyedOptions.Load(problems => Read(configuration, problems), o => o.Validate(), problems => new MessagingConfigurationException(problems));
    }

    /// <summary>Reads the keys (see <see cref="ConfigurationValues"/>); an unreadable value adds a problem naming its key and keeps the default.</summary>
    private static MessagingOptions Read(IConfiguration configuration, List<string> problems)
    {
        var defaults = new MessagingOptions();
        var passwordFile = Text(configuration, "Mqtt:PasswordFile");
        var password = Text(configuration, "Mqtt:Password");
        if (passwordFile is not null)
        {
            try
            {
                // An empty file is no password: a systemd credential file must exist even where the broker needs none.
                password = File.ReadLines(passwordFile).FirstOrDefault()?.TrimEnd('\r', '\n') is { Length: > 0 } line ? line : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"Mqtt:PasswordFile: cannot read '{passwordFile}': {ex.Message}");
            }
        }

        var sites = configuration.GetSection("Device:Sites");
        IReadOnlyList<string> siteList = sites.Value is { } commaList
            ? commaList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : sites.GetChildren().Select(c => c.Value ?? "").ToArray() is { Length: > 0 } array ? array : defaults.Sites;

        var options = new MessagingOptions
        {
            Host = Text(configuration, "Mqtt:Host"),
            Port = WholeNumber(configuration, "Mqtt:Port", problems),
            Username = Text(configuration, "Mqtt:Username"),
            Password = password,
            PasswordFile = passwordFile,
            UseTls = TrueOrFalse(configuration, "Mqtt:UseTls", problems) ?? false,
            CaFile = Text(configuration, "Mqtt:CaFile"),
            ClientCertFile = Text(configuration, "Mqtt:ClientCertFile"),
            ClientKeyFile = Text(configuration, "Mqtt:ClientKeyFile"),
            ClientId = Text(configuration, "Mqtt:ClientId"),
            KeepAlive = Seconds(configuration, "Mqtt:KeepAliveSeconds", problems) ?? defaults.KeepAlive,
            ReconnectMinDelay = Seconds(configuration, "Mqtt:ReconnectMinSeconds", problems) ?? defaults.ReconnectMinDelay,
            ReconnectMaxDelay = Seconds(configuration, "Mqtt:ReconnectMaxSeconds", problems) ?? defaults.ReconnectMaxDelay,
            OperationTimeout = Seconds(configuration, "Mqtt:TimeoutSeconds", problems) ?? defaults.OperationTimeout,
            StatusInterval = Seconds(configuration, "Mqtt:StatusIntervalSeconds", problems) ?? defaults.StatusInterval,
            MaxPayloadBytes = WholeNumber(configuration, "Mqtt:MaxPayloadBytes", problems) ?? defaults.MaxPayloadBytes,
            OutboxPath = Text(configuration, "Mqtt:Outbox:Path") ?? defaults.OutboxPath,
            OutboxMaxBytes = PositiveNumber(configuration, "Mqtt:Outbox:MaxMegabytes", problems) is { } megabytes
                ? (long)(megabytes * 1024 * 1024)
                : defaults.OutboxMaxBytes,
            OutboxMaxAge = PositiveNumber(configuration, "Mqtt:Outbox:MaxAgeDays", problems) is { } days
                ? TimeSpan.FromDays(days)
                : defaults.OutboxMaxAge,
            OutboxTelemetryMaxAge = PositiveNumber(configuration, "Mqtt:Outbox:TelemetryMaxAgeMinutes", problems) is { } minutes
                ? TimeSpan.FromMinutes(minutes)
                : defaults.OutboxTelemetryMaxAge,
            HomeAssistantDiscovery = TrueOrFalse(configuration, "Mqtt:HomeAssistant:Enabled", problems) ?? true,
            HomeAssistantPrefix = Text(configuration, "Mqtt:HomeAssistant:Prefix") ?? defaults.HomeAssistantPrefix,
            BrokerBindAddress = Text(configuration, "Mqtt:Broker:BindAddress") ?? defaults.BrokerBindAddress,
            BrokerPort = WholeNumber(configuration, "Mqtt:Broker:Port", problems) ?? defaults.BrokerPort,
            DeviceId = Text(configuration, "Device:Id") ?? "",
            DeviceName = Text(configuration, "Device:Name"),
            Sites = siteList,
        };
        return options;
    }

    private static bool IsMulticast(IPAddress address) =>
        address.IsIPv6Multicast || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0);

    private static void CheckPort(List<string> problems, string key, int? port)
    {
        if (port is < 1 or > 65535)
        {
            problems.Add($"{key}: {port} is not a TCP port (1–65535).");
        }
    }

    private static void CheckFile(List<string> problems, string key, string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            problems.Add($"{key}: file '{path}' does not exist.");
        }
    }

    private static void CheckPositive(List<string> problems, string key, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            problems.Add($"{key}: {value.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s is outside (0, {max.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s].");
        }
    }
}
