using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace CrampSense.Messaging.Broker;

/// <summary>
/// Wraps one of MQTTnet's server adapters so an MQTT 3.1.1 client that connects with an empty client id and
/// CleanSession=1 gets an id assigned by the server, as MQTT 3.1.1 §3.1.3.1 allows (mosquitto_sub and mosquitto_pub
/// do this by default). With CleanSession=0 it is refused with CONNACK 0x02 (identifier rejected), as §3.1.3.1
/// requires.
/// </summary>
/// <remarks>
/// Why an adapter: MQTTnet 5.2 assigns <see cref="ValidatingConnectionEventArgs.AssignedClientIdentifier"/> only for
/// MQTT 5 and refuses an empty 3.1.1 id right after <c>ValidatingConnectionAsync</c>
/// (<c>MqttClientSessionsManager.ValidateConnection</c>), and the event exposes the id read-only. The server adapter
/// (a public extension point, <see cref="MqttServerFactory.CreateMqttServer(MqttServerOptions, IEnumerable{IMqttServerAdapter})"/>)
/// is the one place that sees the CONNECT packet before that check.
/// </remarks>
internal sealed class ClientIdAssigningServerAdapter(IMqttServerAdapter inner) : IMqttServerAdapter
{
    /// <inheritdoc/>
    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>A fresh id for a client that asked the server for one (both MQTT 5 and 3.1.1 clients).</summary>
    public static string NewClientId() => "auto-" + Guid.NewGuid().ToString("N");

    /// <inheritdoc/>
    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        inner.ClientHandler = channel => ClientHandler is { } handler ? handler(new Channel(channel)) : Task.CompletedTask;
        return inner.StartAsync(options, logger);
    }

    /// <inheritdoc/>
    public Task StopAsync() => inner.StopAsync();

    /// <inheritdoc/>
    public void Dispose() => inner.Dispose();

    /// <summary>Passes everything through; fills in the client id of the first packet when it is a qualifying CONNECT.</summary>
    private sealed class Channel(IMqttChannelAdapter inner) : IMqttChannelAdapter
    {
        private bool _connectSeen;

        public long BytesReceived => inner.BytesReceived;

        public long BytesSent => inner.BytesSent;

        public System.Security.Cryptography.X509Certificates.X509Certificate2 ClientCertificate => inner.ClientCertificate;

        public System.Net.EndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public System.Net.EndPoint LocalEndPoint => inner.LocalEndPoint;

        public bool IsSecureConnection => inner.IsSecureConnection;

        public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

        public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

        public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

        public Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken) =>
            _connectSeen ? inner.ReceivePacketAsync(cancellationToken) : ReceiveFirstPacketAsync(cancellationToken);

        public void ResetStatistics() => inner.ResetStatistics();

        public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

        public void Dispose() => inner.Dispose();

        private async Task<MqttPacket> ReceiveFirstPacketAsync(CancellationToken cancellationToken)
        {
            MqttPacket packet;
            try
            {
                packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttProtocolViolationException e) when (e.Message.Contains("MQTT-3.1.3-7", StringComparison.Ordinal))
            {
                // MQTTnet's 3.1.1 decoder throws on an empty id with CleanSession=0 and the server then drops the
                // connection silently; §3.1.3.1 wants CONNACK 0x02 first.
                _connectSeen = true;
                await inner.SendPacketAsync(
                    new MqttConnAckPacket { ReturnCode = MQTTnet.Protocol.MqttConnectReturnCode.ConnectionRefusedIdentifierRejected, ReasonCode = MQTTnet.Protocol.MqttConnectReasonCode.ClientIdentifierNotValid },
                    cancellationToken).ConfigureAwait(false);
                throw;
            }

            _connectSeen = true;
            if (packet is MqttConnectPacket { CleanSession: true } connect
                && string.IsNullOrEmpty(connect.ClientId)
                && inner.PacketFormatterAdapter.ProtocolVersion == MqttProtocolVersion.V311)
            {
                connect.ClientId = NewClientId();
            }

            return packet;
        }
    }
}
