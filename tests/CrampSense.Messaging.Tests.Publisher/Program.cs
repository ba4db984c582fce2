using System.Globalization;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;

// Child process for OutboxDurabilityTests: queues numbered messages through the outbox and prints "queued <n>" after
// each enqueue returned (the message is committed), until it is killed. With --drain it queues nothing, waits until
// the outbox is empty, prints "drained" and exits.
// With --connected-first after the count it prints "started" only once connected (the broker holds its will from then).
// Usage: publisher <port> <device> <outbox-path> <first-index> <count> [--connected-first] | --drain
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var device = args[1];
var options = new MessagingOptions
{
    Host = "127.0.0.1",
    Port = port,
    DeviceId = device,
    OutboxPath = args[2],
    ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
    ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
    OperationTimeout = TimeSpan.FromSeconds(5),
    HomeAssistantDiscovery = false,
};
await using var publisher = MqttPublisher.Create(options);
await publisher.StartAsync(CancellationToken.None);
if (args.Length > 5 && args[5] == "--connected-first")
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await publisher.WaitUntilConnectedAsync(timeout.Token);
}

Console.Out.WriteLine("started");
Console.Out.Flush();

if (args[3] == "--drain" || args.Length > 4 && args[4] == "--drain")
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    await publisher.WaitUntilDeliveredAsync(timeout.Token);
    await publisher.StopAsync(timeout.Token);
    Console.Out.WriteLine("drained");
    return 0;
}

var first = int.Parse(args[3], CultureInfo.InvariantCulture);
var count = int.Parse(args[4], CultureInfo.InvariantCulture);
for (var i = first; i < first + count; i++)
{
    var time = ContractTime.Format(DateTimeOffset.UtcNow);
    var id = "seq-" + i.ToString("D6", CultureInfo.InvariantCulture);
    switch (i % 3)
    {
        case 0:
            await publisher.PublishEventAsync(
                new EventMessage
                {
                    Id = id, Time = time, Device = device, Site = "calf", Type = EventMessage.CrampStarted,
                    EventId = $"{device}:calf:cramp:{i}", OnsetSeconds = i,
                },
                CancellationToken.None);
            break;
        case 1:
            await publisher.PublishPromptAsync(
                new PromptMessage { Id = id, Time = time, Device = device, Site = "calf", Kind = "stretch", Urgency = "high", Title = "Stretch", Text = "Stretch the calf." },
                CancellationToken.None);
            break;
        default:
            await publisher.PublishFaultAsync(
                new FaultMessage { Id = id, Time = time, Device = device, Site = "calf", Source = FaultMessage.SensorSource, Faults = ["adc_timeout"] },
                CancellationToken.None);
            break;
    }

    Console.Out.WriteLine("queued " + i.ToString(CultureInfo.InvariantCulture));
    Console.Out.Flush();
}

// Stay alive (sending) until killed; the test decides when.
await Task.Delay(Timeout.Infinite);
return 0;
