using CrampSense.FirmwareHost.Hosting;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrampSense.FirmwareHost.Tests.Infrastructure;

/// <summary>Settings and helpers shared by the host tests: a device and outbox of their own, no terminal view.</summary>
internal static class TestHosts
{
    public static string NewDevice() => "test-" + Guid.NewGuid().ToString("N")[..10];

    public static string TempPath(string name) => Path.Combine(Path.GetTempPath(), "crampsense-host-tests", Guid.NewGuid().ToString("N")[..10] + "-" + name);

    /// <summary>Simulator (default night-cramp, seed 1: a calf cramp at 25.5 s) at max speed for 40 s, to <paramref name="brokerPort"/>, no quiet hours.</summary>
    public static Dictionary<string, string?> Simulated(string device, int brokerPort, string outbox) => new(StringComparer.Ordinal)
    {
        ["Device:Id"] = device,
        ["Source:Kind"] = "Simulator",
        ["Source:Speed"] = "max",
        ["Host:DurationSeconds"] = "40",
        ["Host:Live"] = "false",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mqtt:ReconnectMinSeconds"] = "0.2",
        ["Mqtt:ReconnectMaxSeconds"] = "1",
        ["Mqtt:Outbox:Path"] = outbox,

        // Quiet hours off: they drop after-care and drink prompts between 22:00 and 07:00 local, which made the tests
        // that expect them fail at night (the quiet-hours rule is tested with a fake clock in Coaching.Tests).
        ["Coach:QuietHours:Start"] = "00:00",
        ["Coach:QuietHours:End"] = "00:00",
    };

    /// <summary>The <see cref="Simulated"/> settings with <paramref name="recording"/> replayed at max speed to its end instead.</summary>
    public static Dictionary<string, string?> Replayed(string device, int brokerPort, string outbox, string recording)
    {
        var settings = Simulated(device, brokerPort, outbox);
        settings["Source:Kind"] = "Replay";
        settings["Source:Path"] = recording;
        settings.Remove("Host:DurationSeconds");
        return settings;
    }

    public static IHost Build(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        CrampSenseHostProgram.Build(settings, services);

    /// <summary>
    /// Writes simulated segments back to back as one CSV recording (each segment's times shifted to follow the
    /// previous one), e.g. a run followed by rest. Every segment must have the same layout.
    /// </summary>
    public static string WriteRecording(params (string Scenario, int Seed, TimeSpan Duration)[] segments)
    {
        var path = TempPath("segments.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var text = new StreamWriter(path) { NewLine = "\n" };
        RecordingWriter? writer = null;
        double offset = 0;
        foreach (var (scenario, seed, duration) in segments)
        {
            var simulation = Simulator.Start(new SimulationRequest { Scenario = scenario, Seed = seed, Duration = duration });
            writer ??= new RecordingWriter(text, simulation.Layout);
            var frame = simulation.Layout.CreateFrame();
            while (simulation.TryReadFrame(frame))
            {
                frame.TimeSeconds += offset;
                writer.Write(frame);
            }

            offset += duration.TotalSeconds;
        }

        writer?.Flush();
        return path;
    }

    /// <summary>Writes the default simulated night (night-cramp, seed 1, 90 s: one calf cramp at 25.5–36.4 s) as a CSV recording.</summary>
    public static string WriteCrampRecording() => WriteRecording(("night-cramp", 1, TimeSpan.FromSeconds(90)));
}
