using System.Net;
using System.Net.Sockets;
using CrampSense.Bridge.Pipeline;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary><see cref="CoalescingSocketStream"/> over a real loopback TCP connection.</summary>
public sealed class CoalescingSocketStreamTests
{
    private static async Task<(CoalescingSocketStream Stream, Socket Peer)> ConnectAsync(CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var provider = new CoalescingSocketStreamProvider(1 << 16, noDelay: true);
        var connecting = provider.ConnectAsync(listener.LocalEndpoint, ct);
        var peer = await listener.AcceptSocketAsync(ct);
        return ((CoalescingSocketStream)await connecting, peer);
    }

    private static byte[] Pattern(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 % 251))];

    private static async Task<byte[]> ReadToEndAsync(Socket peer, CancellationToken ct)
    {
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await peer.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return received.ToArray();
    }

    [Fact]
    public async Task ManySmallWrites_ThenDispose_ReachThePeerCompleteAndInOrderBeforeTheConnectionCloses()
    {
        // 20 000 PUBACK-sized writes back to back, as the batch writer acknowledges; disposing right after must not
        // lose what is still pending (a DISCONNECT written last must reach the broker).
        var ct = TestContext.Current.CancellationToken;
        var (stream, peer) = await ConnectAsync(ct);
        using var _ = peer;
        var data = Pattern(20_000 * 4);

        for (var offset = 0; offset < data.Length; offset += 4)
        {
            await stream.WriteAsync(data.AsMemory(offset, 4), ct);
        }

        var reading = ReadToEndAsync(peer, ct);
        await stream.DisposeAsync();

        Assert.Equal(data, await reading);
    }

    [Fact]
    public async Task ReadsOfAnySize_ReturnTheBytesThePeerSentInOrder_AndZeroAtTheEnd()
    {
        // MQTTnet reads a 2-byte header, single length bytes and then the body; the read-ahead must hand them out
        // exactly, across its 64-KiB refills.
        var ct = TestContext.Current.CancellationToken;
        var (stream, peer) = await ConnectAsync(ct);
        await using var _ = stream;
        var data = Pattern(300_000);
        await peer.SendAsync(data, SocketFlags.None, ct);
        peer.Shutdown(SocketShutdown.Send);

        using var received = new MemoryStream();
        int[] sizes = [2, 1, 1, 500, 70_000, 3];
        var buffer = new byte[70_000];
        for (var i = 0; ; i++)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, sizes[i % sizes.Length]), ct);
            if (n == 0)
            {
                break;
            }

            received.Write(buffer, 0, n);
        }

        Assert.Equal(data, received.ToArray());
        peer.Dispose();
    }

    [Fact]
    public async Task Writes_InterleavedWithReads_KeepBothDirectionsIntact()
    {
        // The receive loop reads while the acknowledgement loop writes, on different threads.
        var ct = TestContext.Current.CancellationToken;
        var (stream, peer) = await ConnectAsync(ct);
        using var __ = peer;
        var down = Pattern(100_000);
        var up = Pattern(50_000).Reverse().ToArray();

        var sending = peer.SendAsync(down, SocketFlags.None, ct).AsTask();
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < up.Length; offset += 5)
            {
                await stream.WriteAsync(up.AsMemory(offset, 5), ct);
            }
        }, ct);
        var read = new byte[down.Length];
        var total = 0;
        while (total < down.Length)
        {
            total += await stream.ReadAsync(read.AsMemory(total, Math.Min(3, down.Length - total)), ct);
        }

        await writing;
        await sending;
        var receiving = ReadToEndAsync(peer, ct);
        await stream.DisposeAsync();

        Assert.Equal(down, read);
        Assert.Equal(up, await receiving);
    }
}
