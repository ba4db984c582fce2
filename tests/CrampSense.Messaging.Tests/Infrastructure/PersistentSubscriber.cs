using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CrampSense.Messaging.Tests.Infrastructure;

/// <summary>Leaves a kept (persistent) session with a QoS 1 subscription on the broker, as a phone app would.</summary>
internal static class PersistentSubscriber
{
    public static async Task CreateSessionAsync(int port, string clientId, string topic, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(
            new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(clientId)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanStart(false)
                .WithSessionExpiryInterval(3600)
                .Build(),
            cancellationToken);
        await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        await client.DisconnectAsync(cancellationToken: cancellationToken);
    }
}
