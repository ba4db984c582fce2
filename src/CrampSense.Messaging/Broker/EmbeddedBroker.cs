using System.Net;
using System.Security.Cryptography;
using System.Text;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CrampSense.Messaging.Broker;

/// <summary>
/// MQTTnet's in-process broker, used when no broker is configured so subscribers can connect at once. Listens on
/// 127.0.0.1:1883 by default, with persistent sessions (a subscriber that reconnects with a kept session gets the
/// QoS 1 messages it missed). Listening beyond loopback requires a user name and password.
/// </summary>
/// <remarks>MQTTnet's server has no shared subscriptions (deps-probe.md §3); use mosquitto when you need them.</remarks>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly byte[]? _user;
    private readonly byte[]? _password;

    private EmbeddedBroker(MqttServer server, IPAddress address, int port, string? user, string? password)
    {
        _server = server;
        Address = address;
        Port = port;
        _user = user is null ? null : Encoding.UTF8.GetBytes(user);
        _password = password is null ? null : Encoding.UTF8.GetBytes(password);
        _server.ValidatingConnectionAsync += ValidateAsync;
        _server.InterceptingPublishAsync += AuthorizePublishAsync;
    }

    /// <summary>The topics of the wearable this broker serves: the only device whose topics clients may publish to.</summary>
    public required ContractTopics Owner { get; init; }

    /// <summary>The Home Assistant discovery prefix (<c>Mqtt:HomeAssistant:Prefix</c>).</summary>
    public required string HomeAssistantPrefix { get; init; }

    /// <summary>Where it listens.</summary>
    public IPAddress Address { get; }

    /// <summary>Its port.</summary>
    public int Port { get; }

    /// <summary>The MQTTnet server (for injecting messages or inspecting sessions).</summary>
    public MqttServer Server => _server;

    /// <summary>
    /// Starts a broker on <see cref="MessagingOptions.BrokerBindAddress"/>:<see cref="MessagingOptions.BrokerPort"/>.
    /// With <see cref="MessagingOptions.Username"/> set, clients must log in with it and the password.
    /// </summary>
    /// <exception cref="MessagingConfigurationException">
    /// The address is not loopback and no credentials are configured, or the address is not an IP address.
    /// </exception>
    /// <exception cref="IOException">The port cannot be bound (e.g. already in use); the message names it.</exception>
    public static async Task<EmbeddedBroker> StartAsync(MessagingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.TryParse(options.BrokerBindAddress, out var address))
        {
            throw new MessagingConfigurationException($"Mqtt:Broker:BindAddress: '{options.BrokerBindAddress}' is not an IP address.");
        }

        if (!IPAddress.IsLoopback(address) && (string.IsNullOrEmpty(options.Username) || string.IsNullOrEmpty(options.Password)))
        {
            throw new MessagingConfigurationException(
                $"Mqtt:Broker:BindAddress: the embedded broker would listen on {address}, beyond this machine, without credentials; " +
                "set Mqtt:Username and Mqtt:Password (or Mqtt:PasswordFile), or bind to 127.0.0.1.");
        }

        if (options.BrokerPort is < 1 or > 65535)
        {
            throw new MessagingConfigurationException($"Mqtt:Broker:Port: {options.BrokerPort} is not a TCP port (1–65535).");
        }

        var factory = new MqttServerFactory();
        var builder = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(options.BrokerPort)
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(10_000);
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            builder.WithDefaultEndpointBoundIPV6Address(address).WithDefaultEndpointBoundIPAddress(IPAddress.None);
        }
        else
        {
            builder.WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointBoundIPV6Address(IPAddress.None);
        }

        var adapters = factory.DefaultServerAdapters.Select(create => new ClientIdAssigningServerAdapter(create(factory))).ToList();
        var server = factory.CreateMqttServer(builder.Build(), adapters);
        var broker = new EmbeddedBroker(server, address, options.BrokerPort, options.Username, options.Password) { Owner = new ContractTopics(options.DeviceId, options.HomeAssistantPrefix), HomeAssistantPrefix = options.HomeAssistantPrefix };
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await server.StartAsync().ConfigureAwait(false);
            return broker;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"The embedded MQTT broker cannot listen on {address}:{options.BrokerPort} (Mqtt:Broker:Port): {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _server.ValidatingConnectionAsync -= ValidateAsync;
        _server.InterceptingPublishAsync -= AuthorizePublishAsync;
        if (_server.IsStarted)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }

        _server.Dispose();
    }

    /// <summary>
    /// True when a client may publish to <paramref name="topic"/>: below <c>crampsense/v1/</c> only the five contract
    /// topics of <paramref name="owner"/>, its feedback topic and the feedback result (nothing else below them, no other device, not the bridge's <c>_</c> topics), below
    /// <c>&lt;prefix&gt;/device/</c> only its discovery config; anything else (Home Assistant's birth message) freely.
    /// The rule of deploy/mosquitto/acl, for the one wearable an embedded broker serves.
    /// </summary>
    public static bool MayPublish(ContractTopics owner, string homeAssistantPrefix, string topic)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.StartsWith(ContractTopics.Root + "/", StringComparison.Ordinal))
        {
            return topic == owner.Status || topic == owner.Event || topic == owner.Prompt || topic == owner.Telemetry || topic == owner.Fault
                || topic == owner.Feedback || topic == owner.FeedbackResult;
        }

        return !topic.StartsWith(homeAssistantPrefix + "/device/", StringComparison.Ordinal) || topic == owner.HomeAssistantDiscovery;
    }

    private Task AuthorizePublishAsync(InterceptingPublishEventArgs e)
    {
        // With credentials the broker serves one wearable, and the login is that wearable's (the ACL's %u): held to its
        // topics. Without credentials (loopback only) any local process may connect and publish anyway (docs/mqtt.md),
        // and the broker may stand in for a general one (tests). Injected messages have no client id.
        if (_user is not null && !string.IsNullOrEmpty(e.ClientId) && !MayPublish(Owner, HomeAssistantPrefix, e.ApplicationMessage.Topic))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        }

        return Task.CompletedTask;
    }

    private Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        // Small MQTT 5 clients (mosquitto_sub -V mqttv5) send an empty client id and expect the server to assign one
        // (MQTT 5 §3.1.3.1); MQTTnet refuses it unless we do. Empty 3.1.1 ids with a clean session were filled in
        // before this event by ClientIdAssigningServerAdapter.
        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = ClientIdAssigningServerAdapter.NewClientId();
        }

        if (_user is null)
        {
            return Task.CompletedTask;
        }

        var user = Encoding.UTF8.GetBytes(e.UserName ?? "");
        var password = e.RawPassword ?? [];
        if (!CryptographicOperations.FixedTimeEquals(user, _user) || !CryptographicOperations.FixedTimeEquals(password, _password))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
        }

        return Task.CompletedTask;
    }
}
