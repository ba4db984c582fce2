using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;

namespace CrampSense.Messaging.Tests.Infrastructure;

internal static class TestPublishers
{
    public static string NewDevice() => "t-" + Guid.NewGuid().ToString("N")[..10];

    public static string TempOutbox() => Path.Combine(Path.GetTempPath(), "crampsense-test-outbox-" + Guid.NewGuid().ToString("N")[..12], "outbox.db");

    /// <summary>Options for the embedded broker on <paramref name="brokerPort"/> (no host configured).</summary>
    public static MessagingOptions EmbeddedOptions(int brokerPort, string device) => new()
    {
        BrokerPort = brokerPort,
        DeviceId = device,
        OutboxPath = TempOutbox(),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        KeepAlive = TimeSpan.FromSeconds(5),
        OperationTimeout = TimeSpan.FromSeconds(5),
    };

    public static MessagingOptions Options(int port, string device, string? outbox = null, string? user = null, string? password = null) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        DeviceId = device,
        OutboxPath = outbox ?? TempOutbox(),
        Username = user,
        Password = password,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        KeepAlive = TimeSpan.FromSeconds(5),
        OperationTimeout = TimeSpan.FromSeconds(5),
        Sites = ["calf", "hamstring"],
    };

    /// <summary>Queues one message of every kind (3 events, a prompt, a fault, a telemetry summary) for <paramref name="device"/>.</summary>
    public static async Task<IReadOnlyList<ContractMessage>> PublishOneOfEachAsync(MqttPublisher publisher, string device, CancellationToken cancellationToken)
    {
        var started = Samples.Started(device);
        var ended = Samples.Ended(device, time: Samples.Time.AddSeconds(41));
        var warning = Samples.Warning(device);
        var prompt = Samples.Prompt(device);
        var fault = Samples.SignalFault(device);
        var telemetry = Samples.Telemetry(device);
        await publisher.PublishEventAsync(warning, cancellationToken);
        await publisher.PublishEventAsync(started, cancellationToken);
        await publisher.PublishPromptAsync(prompt, cancellationToken);
        await publisher.PublishEventAsync(ended, cancellationToken);
        await publisher.PublishFaultAsync(fault, cancellationToken);
        await publisher.PublishTelemetryAsync(telemetry, cancellationToken);
        return [warning, started, prompt, ended, fault, telemetry];
    }

    public static void DeleteOutbox(MessagingOptions options)
    {
        var folder = Path.GetDirectoryName(options.OutboxPath)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
