using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace CrampSense.Messaging.Configuration;

/// <summary>
/// The connection part of MQTT client options from the <c>Mqtt:*</c> keys (host, port, MQTT 5, keep-alive, timeout,
/// credentials, TLS with CA and client certificate), shared by the wearable's publisher and the bridge so both read
/// the keys the same way.
/// </summary>
public static class MqttConnection
{
    /// <summary>
    /// Socket send and receive buffer (bytes) of every MQTT connection. MQTTnet sets 8 KiB unless told otherwise, and a
    /// fixed SO_RCVBUF turns off Linux's buffer autotuning and window scaling: with a 64-KiB loopback MSS the kernel then
    /// prunes and drops segments, and a subscriber with a backlog in the broker gets a few KB/s of retransmissions
    /// (measured: the bridge stalled for ~27 s per 2000 messages; nstat TcpExtPruneCalled climbing). The kernel caps
    /// the value at net.core.rmem_max / wmem_max.
    /// </summary>
    public const int SocketBufferBytes = 1 << 20;

    /// <summary>Sets server, client id, protocol, keep-alive, timeout, credentials and TLS on <paramref name="builder"/>.</summary>
    /// <exception cref="MessagingConfigurationException">A certificate file cannot be loaded (the message names its key).</exception>
    public static MqttClientOptionsBuilder Configure(MqttClientOptionsBuilder builder, MessagingOptions options, string clientId)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder
            .WithTcpServer(options.EffectiveHost, options.EffectivePort)
            // Fresh TCP options with the buffer size; the builder keeps the endpoint of the call above (MqttConnectionTests).
            .WithTcpServer(tcp => tcp.BufferSize = SocketBufferBytes)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.OperationTimeout);
        if (options.Username is not null)
        {
            builder.WithCredentials(options.Username, options.Password ?? "");
        }

        if (options.UseTls && !options.UsesEmbeddedBroker)
        {
            var trustChain = LoadCertificates(options.CaFile, "Mqtt:CaFile");
            var clientCertificate = LoadClientCertificate(options);
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                tls.WithTargetHost(options.EffectiveHost);
                if (trustChain is not null)
                {
                    tls.WithTrustChain(trustChain);
                }

                if (clientCertificate is not null)
                {
                    tls.WithClientCertificates([clientCertificate]);
                }
            });
        }

        return builder;
    }

    private static X509Certificate2Collection? LoadCertificates(string? path, string key)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            return collection.Count > 0 ? collection : throw new MessagingConfigurationException($"{key}: '{path}' holds no PEM certificate.");
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new MessagingConfigurationException($"{key}: cannot load '{path}': {ex.Message}", ex);
        }
    }

    private static X509Certificate2? LoadClientCertificate(MessagingOptions options)
    {
        var path = options.ClientCertFile;
        if (path is null)
        {
            return null;
        }

        try
        {
            var extension = Path.GetExtension(path);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, options.Password);
            }

            using var pem = X509Certificate2.CreateFromPemFile(path, options.ClientKeyFile ?? path);

            // Re-import so the key is usable by SslStream on every platform (ephemeral PEM keys are not on some).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new MessagingConfigurationException($"Mqtt:ClientCertFile: cannot load the client certificate '{path}': {ex.Message}", ex);
        }
    }
}
