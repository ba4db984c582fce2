using System.Collections.Concurrent;
using MQTTnet;

namespace CrampSense.FirmwareHost.Tests.Infrastructure;

/// <summary>Every message an MQTT client receives, in order; waits are signalled per message, not slept.</summary>
public sealed class MessageLog : IDisposable
{
    private readonly ConcurrentQueue<Received> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<Received> Messages => [.. _messages];

    /// <summary>Records what <paramref name="client"/> receives from now on.</summary>
    public void Attach(IMqttClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            _messages.Enqueue(new Received(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty, e.ApplicationMessage.Retain));
            _arrived.Release();
            return Task.CompletedTask;
        };
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the messages received so far.</summary>
    public async Task<IReadOnlyList<Received>> WaitUntilAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var now = Messages;
            if (condition(now))
            {
                return now;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}; got: {string.Join(" | ", now.Select(m => m.Topic + " " + m.Payload[..Math.Min(120, m.Payload.Length)]))}");
            }
        }
    }

    public void Dispose() => _arrived.Dispose();
}
