using System.Text.Json;

namespace CrampSense.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real <c>mosquitto_sub</c> on one device's topics (QoS 1, persistent session), as an alert subscriber — Home
/// Assistant, Node-RED, a phone — would listen. Ready once a probe published to the device's topics came back.
/// </summary>
internal sealed class TopicSubscriber : IDisposable
{
    private readonly ChildProgram _process;

    private TopicSubscriber(ChildProgram process) => _process = process;

    public static async Task<TopicSubscriber> StartAsync(int port, string device, CancellationToken cancellationToken)
    {
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var subscriber = new TopicSubscriber(ChildProgram.Start(
            Tools.Require("mosquitto_sub"),
            ["-h", "127.0.0.1", "-p", portText, "-V", "mqttv5", "-q", "1", "-c", "-x", "600", "-i", "e2e-sub-" + device, "-t", $"crampsense/v1/{device}/#", "-v"]));

        // No sleep: publish a probe until the subscriber shows it, which proves the subscription is in place.
        var probe = $"crampsense/v1/{device}/e2e-probe";
        var publish = Tools.Require("mosquitto_pub");
        await Poll.UntilAsync(
            async () =>
            {
                await Tools.RunAsync(publish, ["-h", "127.0.0.1", "-p", portText, "-q", "1", "-t", probe, "-m", "probe"], cancellationToken);
                return subscriber._process.Lines.Any(l => l.StartsWith(probe + " ", StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(30),
            () => "mosquitto_sub to receive a probe: " + subscriber._process.Output,
            cancellationToken);
        return subscriber;
    }

    /// <summary>Every contract message received so far, parsed (topic kind, payload).</summary>
    public IReadOnlyList<(string Kind, JsonElement Payload)> Messages
    {
        get
        {
            var messages = new List<(string, JsonElement)>();
            foreach (var line in _process.Lines)
            {
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0 || !line.StartsWith("crampsense/v1/", StringComparison.Ordinal) || line.Contains("/e2e-probe ", StringComparison.Ordinal))
                {
                    continue;
                }

                var topic = line[..space];
                using var document = JsonDocument.Parse(line[(space + 1)..]);
                messages.Add((topic[(topic.LastIndexOf('/') + 1)..], document.RootElement.Clone()));
            }

            return messages;
        }
    }

    public string Output => _process.Output;

    public void Dispose() => _process.Dispose();
}
