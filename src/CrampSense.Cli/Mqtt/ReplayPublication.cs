using System.Globalization;
using CrampSense.Coaching;
using CrampSense.Detection;
using CrampSense.Messaging.Configuration;
using CrampSense.Messaging.Publishing;
using CrampSense.Wearable;
using Microsoft.Extensions.Configuration;

namespace CrampSense.Cli.Mqtt;

/// <summary>
/// <c>crampsense replay rec.csv --mqtt mqtt://host:port --device id</c>: sends a replay's session (events, faults,
/// telemetry, and the coach's prompts for events, activity and clock ticks) through the wearable's own dispatcher,
/// publisher and SQLite outbox, then waits until the broker has acknowledged every message. The recording is placed on
/// the wall clock (one <see cref="SessionClock"/>) so that it ends now, which keeps event times in the past for
/// dashboards and lets the coach's rate limits see the recording's own spacing.
/// </summary>
internal static class ReplayPublication
{
    /// <summary>Where the replay's outbox lives unless <c>Mqtt:Outbox:Path</c> says otherwise.</summary>
    public static string DefaultOutboxPath(string device) => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "crampsense",
        $"replay-{device}.outbox.db");

    /// <summary>
    /// The messaging options of a replay: the broker from <paramref name="brokerUri"/> (<c>mqtt://host[:port]</c>
    /// or <c>mqtts://host[:port]</c>), the device and sites from the replay, and everything else (credentials,
    /// TLS files, outbox bounds) from the usual keys in <paramref name="configuration"/> — e.g. the
    /// <c>CRAMPSENSE_Mqtt__Username</c> environment variable. Home Assistant discovery is off unless configured,
    /// since a replayed recording is not a device in the house.
    /// </summary>
    /// <exception cref="CliInputException">The URI is not an MQTT URI or the configuration is invalid; the message names the option or key.</exception>
    public static MessagingOptions Options(string brokerUri, string device, IReadOnlyList<string> sites, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(sites);
        if (!Uri.TryCreate(brokerUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || uri.Host.Length == 0)
        {
            throw new CliInputException($"--mqtt: '{brokerUri}' is not a broker address; use mqtt://host:port or mqtts://host:port");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new CliInputException("--mqtt: put no credentials in the address; set Mqtt:Username and Mqtt:Password or Mqtt:PasswordFile (e.g. CRAMPSENSE_Mqtt__Username)");
        }

        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Mqtt:Host"] = uri.Host,
            ["Mqtt:UseTls"] = uri.Scheme == "mqtts" ? "true" : "false",
            ["Device:Id"] = device,
            ["Device:Sites"] = string.Join(',', sites),
        };
        if (!uri.IsDefaultPort)
        {
            overrides["Mqtt:Port"] = uri.Port.ToString(CultureInfo.InvariantCulture);
        }

        var merged = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Mqtt:HomeAssistant:Enabled"] = "false",
                ["Mqtt:Outbox:Path"] = DefaultOutboxPath(device),
            })
            .AddConfiguration(configuration)
            .AddInMemoryCollection(overrides)
            .Build();
        try
        {
            return MessagingOptions.FromConfiguration(merged);
        }
        catch (MessagingConfigurationException e)
        {
            throw new CliInputException(e.Message, e);
        }
    }

    /// <summary>The configuration a command line sees: <c>CRAMPSENSE_</c> environment variables, <c>__</c> between levels.</summary>
    public static IConfiguration FromEnvironment() => new ConfigurationBuilder().AddEnvironmentVariables("CRAMPSENSE_").Build();

    /// <summary>Dispatches the session's items (in the order the session made them) and waits for every acknowledgement.</summary>
    /// <exception cref="CliInputException">A message could not be queued, or not everything was acknowledged within <paramref name="timeout"/>; the message says why and where the rest waits.</exception>
    public static async Task<ReplayPublicationSummary> PublishAsync(
        MessagingOptions options,
        IReadOnlyList<SessionItem> items,
        double recordingSeconds,
        TimeSpan timeout,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(time);
        var clock = new SessionClock(time.GetUtcNow() - TimeSpan.FromSeconds(Math.Max(0, recordingSeconds)));
        var coach = new CrampCoach(options.DeviceId, new CoachOptions(), clock, TimeZoneInfo.Local);
        var counts = new Counts();

        await using var publisher = MqttPublisher.Create(options, time);
        await publisher.StartAsync(cancellationToken).ConfigureAwait(false);
        var dispatcher = new OutgoingDispatcher(coach, clock, publisher, observer: counts);
        foreach (var item in items)
        {
            await dispatcher.DispatchAsync(item, cancellationToken).ConfigureAwait(false);
            if (counts.Failure is { } failure)
            {
                throw new CliInputException("--mqtt: " + failure);
            }
        }

        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeout);
            try
            {
                await publisher.WaitUntilDeliveredAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var pending = publisher.Outbox.Statistics.Pending;
                var why = publisher.LastConnectionError is { } error ? $" ({error})" : string.Empty;
                throw new CliInputException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"--mqtt: {pending} message(s) not acknowledged by {options.EffectiveHost}:{options.EffectivePort} within {timeout.TotalSeconds:0.#} s{why}; they stay in {options.OutboxPath} and go out on the next replay with this device"));
            }
        }

        await publisher.StopAsync(cancellationToken).ConfigureAwait(false);
        return new ReplayPublicationSummary(counts.Events, counts.Prompts, items.OfType<TelemetryItem>().Sum(t => t.Sites.Count), options.EffectiveHost, options.EffectivePort);
    }

    /// <summary>What the dispatcher reported: events and prompts queued, and the first part that failed (the replay then stops).</summary>
    private sealed class Counts : IDispatchObserver
    {
        public int Events { get; private set; }

        public int Prompts { get; private set; }

        public string? Failure { get; private set; }

        public void OnEvent(CrampEvent cramp, DateTimeOffset at) => Events++;

        public void OnPrompt(CoachPrompt prompt) => Prompts++;

        public void OnSensorFault(SensorFaultItem fault, DateTimeOffset at)
        {
        }

        public void OnPartFailed(string part, string reason) => Failure ??= $"{part} failed: {reason}";
    }
}

/// <summary>What a replay sent: events and faults, prompts, telemetry messages, and to which broker.</summary>
internal sealed record ReplayPublicationSummary(int Events, int Prompts, int Telemetry, string Host, int Port);
