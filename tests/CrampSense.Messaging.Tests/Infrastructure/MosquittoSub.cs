using System.Collections.Concurrent;
using System.Diagnostics;

namespace CrampSense.Messaging.Tests.Infrastructure;

/// <summary>One message as printed by mosquitto_sub (<c>-F '%t|%C|%P|%q|%r|%p'</c>).</summary>
public sealed record ReceivedMessage(string Topic, string ContentType, string UserProperties, int Qos, bool Retained, string Payload);

/// <summary>
/// mosquitto_sub as an independent subscriber: a child process with <c>-C n -W timeout -V mqttv5|mqttv311</c>.
/// <c>topic</c> may hold several filters separated by spaces. <see cref="StartAsync"/> returns once the broker acknowledged the subscription (SUBACK in its debug output).
/// </summary>
public sealed class MosquittoSub : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _log = new();

    private MosquittoSub(Process process) => _process = process;

    public IReadOnlyCollection<ReceivedMessage> Messages => _messages;

    public static async Task<MosquittoSub> StartAsync(int port, string topic, int count, int timeoutSeconds, string protocol, CancellationToken cancellationToken, string? user = null, string? password = null, string? persistentClientId = null, string? tlsFolder = null)
    {
        var arguments = new List<string>
        {
            "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-q", "1", "-C", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-W", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-V", protocol, "-d", "-i", persistentClientId ?? "sub-" + Guid.NewGuid().ToString("N")[..16], "-F", "%t|%C|%P|%q|%r|%p",
        };
        foreach (var filter in topic.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            arguments.AddRange(["-t", filter]);
        }

        if (persistentClientId is not null)
        {
            // Resume the kept session: what the broker queued while this client was away is delivered.
            arguments.Add("-c");
            if (protocol == "mqttv5")
            {
                arguments.AddRange(["-x", "3600"]);
            }
        }

        if (tlsFolder is not null)
        {
            arguments.AddRange(["--cafile", $"{tlsFolder}/ca.crt", "--cert", $"{tlsFolder}/client.crt", "--key", $"{tlsFolder}/client.key"]);
        }

        if (user is not null)
        {
            arguments.AddRange(["-u", user, "-P", password ?? ""]);
        }

        // mosquitto_sub's stdout is block-buffered into a pipe; stdbuf makes it line-buffered so SUBACK shows at once.
        arguments.InsertRange(0, ["-oL", Tools.Require("mosquitto_sub")]);
        var info = new ProcessStartInfo(Tools.Require("stdbuf"), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var sub = new MosquittoSub(process);
        process.OutputDataReceived += (_, e) => sub.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => sub.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // let the output readers finish, so messages received before exiting are seen
            if (sub._messages.IsEmpty)
            {
                sub._subscribed.TrySetException(new InvalidOperationException("mosquitto_sub exited before subscribing: " + string.Join(" / ", sub._log)));
            }
        };
        await sub._subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        return sub;
    }

    /// <summary>Waits until mosquitto_sub exits (after <c>-C</c> messages, or <c>-W</c> seconds) and returns what it printed.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> CompletionAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        _process.WaitForExit(); // flushes the asynchronous output readers
        return [.. _messages];
    }

    public string Log => string.Join(Environment.NewLine, _log);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("Client ", StringComparison.Ordinal) || line.StartsWith("Subscribed", StringComparison.Ordinal))
        {
            _log.Enqueue(line);
            if (line.Contains("received SUBACK", StringComparison.Ordinal))
            {
                _subscribed.TrySetResult();
            }

            return;
        }

        var parts = line.Split('|', 6);
        if (parts.Length == 6)
        {
            _messages.Enqueue(new ReceivedMessage(parts[0], parts[1], parts[2], int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture), parts[4] == "1", parts[5]));

            // A resumed session delivers what was queued right after CONNACK, possibly before the SUBACK.
            _subscribed.TrySetResult();
        }
        else
        {
            _log.Enqueue(line);
        }
    }
}
