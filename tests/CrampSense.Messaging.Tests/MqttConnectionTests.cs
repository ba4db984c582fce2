using System.Net;
using CrampSense.Messaging.Configuration;
using CrampSense.Messaging.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using Xunit;

namespace CrampSense.Messaging.Tests;

public sealed class MqttConnectionTests
{
    [Fact]
    public void Configure_SocketBuffers_AreLargerThanAnUnscaledTcpWindow()
    {
        // MQTTnet's own 8-KiB buffers switch off Linux's autotuning and window scaling; under load a subscriber with a
        // backlog then got a few KB/s of retransmissions (docs/influxdb.md, "Throughput").
        var options = MqttConnection.Configure(new MqttClientOptionsBuilder(), TestPublishers.Options(18830, "calf-1"), "client-1").Build();

        var tcp = Assert.IsType<MqttClientTcpOptions>(options.ChannelOptions);
        Assert.Equal(MqttConnection.SocketBufferBytes, tcp.BufferSize);
        Assert.True(tcp.BufferSize > ushort.MaxValue, $"{tcp.BufferSize} bytes");
    }

    [Fact]
    public void Configure_ServerClientIdAndProtocol_ComeFromTheOptions()
    {
        var options = MqttConnection.Configure(new MqttClientOptionsBuilder(), TestPublishers.Options(18830, "calf-1"), "client-1").Build();

        var endpoint = Assert.IsType<DnsEndPoint>(Assert.IsType<MqttClientTcpOptions>(options.ChannelOptions).RemoteEndpoint);
        Assert.Equal(("127.0.0.1", 18830), (endpoint.Host, endpoint.Port));
        Assert.Equal("client-1", options.ClientId);
        Assert.Equal(MqttProtocolVersion.V500, options.ProtocolVersion);
    }
}
