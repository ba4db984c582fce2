using System.CommandLine;
using CrampSense.Sensors;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Simulated;

namespace CrampSense.Cli.Commands;

/// <summary><c>crampsense hw probe</c>: what a user runs first on the Pi to check the wiring.</summary>
internal static class HwProbeCommand
{
    /// <summary>The sample wiring shipped next to the tool (copied from CrampSense.Sensors/samples).</summary>
    private static readonly string SampleSettings = Path.Combine(AppContext.BaseDirectory, "samples", "appsettings.sensors.json");

    internal static Command Create()
    {
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings file with a Sensors section (default: ./appsettings.json, else the sample wiring).",
        };
        var seconds = new Option<double>("--seconds")
        {
            DefaultValueFactory = _ => 3,
            Description = "How long to read the sensors.",
        };
        var simulate = new Option<bool>("--simulate")
        {
            Description = "Probe simulated chips (bus-level MCP3x08, MLX90614/MCP9808, MPU6050 models) instead of the hardware: the same code path, no Pi needed.",
        };
        var probe = new Command("probe", "Find the configured chips, read a few seconds, report rate, jitter, range and lead-off per channel, and buzz the motor once.")
        {
            config,
            seconds,
            simulate,
        };
        probe.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var duration = parseResult.GetValue(seconds);
            if (!double.IsFinite(duration) || duration <= 0 || duration > 600)
            {
                error.WriteLine($"error: --seconds: {duration} is out of range; allowed: more than 0, at most 600.");
                return Task.FromResult(CliErrors.BadInput);
            }

            var path = parseResult.GetValue(config)?.FullName
                ?? (File.Exists("appsettings.json") ? Path.GetFullPath("appsettings.json") : SampleSettings);
            output.WriteLine($"Settings: {path}");
            SensorsOptions options;
            try
            {
                options = SensorsOptionsValidator.LoadJson(path);
            }
            catch (SensorsConfigurationException ex)
            {
                // Bad input, like every command's (README): exit 1. Exit 2 stays "a part cannot be reached".
                error.WriteLine($"error: {(parseResult.GetValue(config) is null ? "" : "--config: ")}{ex.Message}");
                return Task.FromResult(CliErrors.BadInput);
            }

            var exit = parseResult.GetValue(simulate)
                ? HardwareProbe.Run(options, new SimulatedDeviceNodes(), o => SimulatedRig.Build(o, TimeProvider.System),
                    TimeProvider.System, TimeSpan.FromSeconds(duration), output, cancellationToken)
                : HardwareProbe.Run(options, new LinuxDeviceNodes(), o => SensorComposition.Build(o, TimeProvider.System),
                    TimeProvider.System, TimeSpan.FromSeconds(duration), output, cancellationToken);
            return Task.FromResult(exit);
        });

        var hw = new Command("hw", "Hardware: check the sensors and motor wired to this Raspberry Pi.");
        hw.Subcommands.Add(probe);
        return hw;
    }
}
