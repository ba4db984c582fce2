using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Channel;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// The bridge's TCP connection to the broker (<see cref="MqttClientTcpOptions.StreamProvider"/>): the socket MQTTnet
/// would open (same buffer sizes and Nagle setting), behind a <see cref="CoalescingSocketStream"/>.
/// </summary>
internal sealed class CoalescingSocketStreamProvider(int socketBufferBytes, bool noDelay) : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(brokerEndPoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveBufferSize = socketBufferBytes,
            SendBufferSize = socketBufferBytes,
            NoDelay = noDelay,
        };
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
            return new CoalescingSocketStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Puts the provider on the TCP options of <paramref name="options"/> (built by <c>MqttConnection.Configure</c>).
    /// Plain TCP only: MQTTnet would layer TLS on the stream, but no test runs the bridge over TLS yet, so a TLS
    /// connection keeps MQTTnet's own socket.
    /// </summary>
    public static void Use(MqttClientOptions options)
    {
        if (options.ChannelOptions is MqttClientTcpOptions { TlsOptions.UseTls: false } tcp)
        {
            tcp.StreamProvider = new CoalescingSocketStreamProvider(tcp.BufferSize, tcp.NoDelay);
        }
    }
}

/// <summary>
/// A socket stream that reads ahead and sends what is written in as few system calls as the sender allows.
/// </summary>
/// <remarks>
/// MQTTnet 5 reads each packet from the stream in pieces (its 2-byte fixed header, the remaining length byte by byte,
/// then the body) and writes each packet with its own call, so on a bare socket every message costs the bridge three or
/// four receive calls and its PUBACK one send, and the broker one receive per PUBACK. Here a read is served from a
/// 64-KiB read-ahead buffer (only MQTTnet's receive loop reads), and a write is copied into a pending buffer and
/// returns at once; one sender task at a time writes out everything pending in one call, so the 2 500 PUBACKs of a
/// written batch, sent back to back, leave in a few large writes instead of 2 500 small ones. Order is kept (one
/// pending buffer, one sender). <see cref="Flush"/> does not wait: the sender is already on its way, and waiting would
/// undo the coalescing for the acknowledgement loop. A write that returned may still be lost with the connection; for
/// a PUBACK that is what a lost packet already means (the broker sends the message again; writes are idempotent).
/// Disposing sends what is pending first (a DISCONNECT must reach the broker, or it publishes the last will).
/// </remarks>
internal sealed class CoalescingSocketStream : Stream
{
    private const int ReadAheadBytes = 64 * 1024;

    /// <summary>Above this much pending, a writer waits for the sender (a broker that stops reading must not grow it without bound).</summary>
    private const int MaxPendingBytes = 1 << 20;

    private static readonly TimeSpan DisposeDrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Stream _inner;
    private readonly byte[] _readBuffer = new byte[ReadAheadBytes];
    private readonly Lock _gate = new();
    private int _readStart;
    private int _readEnd;
    private byte[] _pending = new byte[4096];
    private byte[] _sending = new byte[4096];
    private int _pendingLength;
    private bool _senderRunning;
    private Exception? _sendFailure;
    private TaskCompletionSource? _drained;
    private int _disposed;

    public CoalescingSocketStream(Stream inner) => _inner = inner;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readStart == _readEnd)
        {
            if (buffer.Length >= ReadAheadBytes)
            {
                return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            _readStart = 0;
            _readEnd = await _inner.ReadAsync(_readBuffer, cancellationToken).ConfigureAwait(false);
            if (_readEnd == 0)
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _readEnd - _readStart);
        _readBuffer.AsSpan(_readStart, count).CopyTo(buffer.Span);
        _readStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var startSender = false;
        Task? full = null;
        lock (_gate)
        {
            if (_sendFailure is not null)
            {
                throw new IOException("Sending to the broker failed.", _sendFailure);
            }

            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_pendingLength + buffer.Length > _pending.Length)
            {
                Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + buffer.Length));
            }

            buffer.Span.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += buffer.Length;
            if (!_senderRunning)
            {
                _senderRunning = true;
                startSender = true;
            }

            if (_pendingLength > MaxPendingBytes)
            {
                full = DrainedLocked();
            }
        }

        if (startSender)
        {
            _ = Task.Run(SendPendingAsync, CancellationToken.None);
        }

        return full is null ? ValueTask.CompletedTask : new ValueTask(full.WaitAsync(cancellationToken));
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Completes when nothing is pending or being sent (or sending failed).</summary>
    private Task Drained()
    {
        lock (_gate)
        {
            return DrainedLocked();
        }
    }

    /// <summary>As <see cref="Drained"/>, for a caller that holds the lock.</summary>
    private Task DrainedLocked()
    {
        if (!_senderRunning)
        {
            return Task.CompletedTask;
        }

        _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _drained.Task;
    }

    private async Task SendPendingAsync()
    {
        while (true)
        {
            int length;
            lock (_gate)
            {
                if (_pendingLength == 0)
                {
                    _senderRunning = false;
                    _drained?.TrySetResult();
                    _drained = null;
                    return;
                }

                (_pending, _sending) = (_sending, _pending);
                length = _pendingLength;
                _pendingLength = 0;
            }

            try
            {
                await _inner.WriteAsync(_sending.AsMemory(0, length)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The connection is gone: MQTTnet's receive loop sees it too, and later writes report it.
                lock (_gate)
                {
                    _sendFailure = ex;
                    _pendingLength = 0;
                    _senderRunning = false;
                    _drained?.TrySetResult();
                    _drained = null;
                }

                return;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Bounded: a broker that stopped reading must not hold the bridge's stop.
            Drained().Wait(DisposeDrainTimeout);
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                await Drained().WaitAsync(DisposeDrainTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // As in Dispose: bounded.
            }
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
