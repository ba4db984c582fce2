using System.Reflection;
using System.Text;
using CrampSense.Contract;
using CrampSense.Messaging.Configuration;
using CrampSense.Messaging.HomeAssistant;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Publishing;

/// <summary>
/// Home Assistant discovery: the retained device config on each connect, and again when Home Assistant's birth
/// message (<c>online</c> on its status topic) says it restarted.
/// </summary>
internal sealed partial class DiscoveryAnnouncer
{
    private readonly IMqttClient _client;
    private readonly MessagingOptions _options;
    private readonly ContractTopics _topics;
    private readonly ILogger _logger;
    private readonly string _softwareVersion;
    private int _requested;

    public DiscoveryAnnouncer(IMqttClient client, MessagingOptions options, ContractTopics topics, ILogger logger)
    {
        _client = client;
        _options = options;
        _topics = topics;
        _logger = logger;
        _softwareVersion = typeof(DiscoveryAnnouncer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    }

    /// <summary>True when discovery is on (<c>Mqtt:HomeAssistantDiscovery</c>).</summary>
    public bool Enabled => _options.HomeAssistantDiscovery;

    /// <summary>
    /// True when <paramref name="message"/> is Home Assistant's birth message; the announcement is then requested
    /// (only flagged: publishing from inside the receive handler can deadlock, MQTTnet samples).
    /// </summary>
    public bool OnMessage(MqttApplicationMessage message)
    {
        if (message.Topic == ContractTopics.HomeAssistantStatus
            && string.Equals(message.ConvertPayloadToString()?.Trim(), "online", StringComparison.Ordinal))
        {
            Interlocked.Exchange(ref _requested, 1);
            return true;
        }

        return false;
    }

    /// <summary>True once after Home Assistant asked for the announcement.</summary>
    public bool TakeRequest() => Interlocked.Exchange(ref _requested, 0) == 1;

    /// <summary>On a new connection: announces and subscribes to Home Assistant's birth message.</summary>
    public async Task OnConnectedAsync(CancellationToken cancellationToken)
    {
        await PublishAsync(cancellationToken).ConfigureAwait(false);
        await _client.SubscribeAsync(ContractTopics.HomeAssistantStatus, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes the retained discovery config.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var config = HomeAssistantDiscovery.Build(_topics, _options.DeviceName ?? _topics.Device, _options.Sites, _softwareVersion);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.HomeAssistantDiscovery)
            .WithPayload(Encoding.UTF8.GetBytes(config.ToJsonString()))
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        LogDiscoveryPublished(_logger, _topics.HomeAssistantDiscovery);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Home Assistant discovery published to {Topic}")]
    private static partial void LogDiscoveryPublished(ILogger logger, string topic);
}
