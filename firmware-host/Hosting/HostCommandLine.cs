using System.CommandLine;
using System.Globalization;
using CrampSense.Signals;

namespace CrampSense.FirmwareHost.Hosting;

/// <summary>
/// The command line of <c>crampsense-host</c>: each option is a shortcut for a configuration key (applied after
/// appsettings.json and <c>CRAMPSENSE_</c> environment variables), so the service, the demo and the tests share
/// one set of keys. <c>--simulate</c> → <c>Source:Kind=Simulator</c>, <c>--replay f</c> → <c>Source:Kind=Replay</c>
/// and <c>Source:Path=f</c>, <c>--speed</c> → <c>Source:Speed</c>, <c>--no-live</c> → <c>Host:Live=false</c>,
/// <c>--duration</c> → <c>Host:DurationSeconds</c>.
/// </summary>
public static class HostCommandLine
{
    /// <summary>The outcome: configuration overrides to run with, or an exit code (help shown, or a bad option reported).</summary>
    public sealed record Result(IReadOnlyDictionary<string, string?> Overrides, int? ExitCode);

    public static Result Parse(string[] args, TextWriter output, TextWriter error)
    {
        var simulate = new Option<bool>("--simulate") { Description = "Use the physiological simulator instead of sensors (no Pi needed)." };
        var scenario = new Option<string?>("--scenario") { Description = "Simulator scenario (default night-cramp: a calf cramp within the first minute)." };
        var seed = new Option<int?>("--seed") { Description = "Simulator seed (default 1)." };
        var replay = new Option<string?>("--replay") { Description = "Run this recording (CSV, docs/recording-format.md) through the live service; exits at its end." };
        var speed = new Option<string?>("--speed") { Description = "Pacing of --simulate/--replay: 1 (real time, default), 10, … or max." };
        var noLive = new Option<bool>("--no-live", "--headless") { Description = "No terminal view: plain structured logs (the default when output is not a terminal)." };
        var duration = new Option<string?>("--duration") { Description = "Stop after this much session time: 90 (seconds), 90s, 5m, 1h30m or 00:30:00." };
        var device = new Option<string?>("--device") { Description = "Device id (Device:Id), e.g. wearable-1." };
        var source = new Option<string?>("--source") { Description = "Source:Kind: Hardware, Simulator, Replay or SimulatedHardware (the wiring on simulated chips)." };
        var root = new RootCommand("CrampSense wearable service: sensors (or --simulate / --replay) → cramp detector → MQTT, coach and haptics. Settings: appsettings.json, CRAMPSENSE_Section__Key environment variables, these options.")
        {
            simulate, scenario, seed, replay, speed, noLive, duration, device, source,
        };
        Dictionary<string, string?>? overrides = null;
        root.SetAction(parseResult =>
        {
            var o = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (parseResult.GetValue(source) is { } kind)
            {
                o["Source:Kind"] = kind;
            }

            if (parseResult.GetValue(simulate))
            {
                o["Source:Kind"] = "Simulator";
            }

            if (parseResult.GetValue(replay) is { } path)
            {
                o["Source:Kind"] = "Replay";
                o["Source:Path"] = Path.GetFullPath(path);
            }

            Set(o, "Source:Scenario", parseResult.GetValue(scenario));
            Set(o, "Source:Seed", parseResult.GetValue(seed)?.ToString(CultureInfo.InvariantCulture));
            Set(o, "Source:Speed", parseResult.GetValue(speed));
            Set(o, "Device:Id", parseResult.GetValue(device));
            if (parseResult.GetValue(noLive))
            {
                o["Host:Live"] = "false";
            }

            if (parseResult.GetValue(duration) is { } text)
            {
                if (!DurationText.TryParse(text, out var span))
                {
                    error.WriteLine(DurationText.Problem("--duration", text));
                    return 2;
                }

                if (span <= TimeSpan.Zero)
                {
                    error.WriteLine($"--duration: '{text}' must be longer than zero.");
                    return 2;
                }

                o["Host:DurationSeconds"] = span.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            }

            overrides = o;
            return 0;
        });
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var exit = root.Parse(args).Invoke(configuration);
        return overrides is null || exit != 0 ? new Result(new Dictionary<string, string?>(), exit == 0 ? 0 : exit) : new Result(overrides, null);
    }

    private static void Set(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides[key] = value;
        }
    }
}
