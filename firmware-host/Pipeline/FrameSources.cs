using System.Device.Gpio;
using CrampSense.FirmwareHost.Configuration;
using CrampSense.Sensors;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>An opened frame source with the motor that goes with it; disposing closes both (and the file of a replay).</summary>
public sealed class SourceSession(IFrameSource source, HapticMotor? motor, string description, IDisposable? owned = null) : IDisposable
{
    public IFrameSource Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>The vibration motor, or null when there is none.</summary>
    public HapticMotor? Motor { get; } = motor;

    /// <summary>For logs and the live view, e.g. "simulator night-cramp seed 1 (1×)".</summary>
    public string Description { get; } = description;

    public void Dispose()
    {
        Source.Dispose();
        Motor?.Dispose();
        owned?.Dispose();
    }
}

/// <summary>Opens the frame source <c>Source:Kind</c> asks for; the pipeline calls it again after a failure.</summary>
public interface IFrameSourceFactory
{
    /// <summary>The EMG sites the source will deliver, in column order (known before it is opened).</summary>
    IReadOnlyList<string> PlannedSites { get; }

    /// <summary>Opens the source (not started). Throws when hardware cannot be opened; the pipeline reports and retries.</summary>
    SourceSession Open();
}

/// <summary>The sources of the service: sensors, simulator, recording, or the wiring on simulated chips.</summary>
internal sealed class FrameSourceFactory : IFrameSourceFactory
{
    private readonly CrampSenseHostOptions _options;
    private readonly SensorsOptions? _sensors;
    private readonly TimeProvider _time;

    public FrameSourceFactory(CrampSenseHostOptions options, SensorsOptions? sensors, TimeProvider time)
    {
        _options = options;
        _sensors = sensors;
        _time = time;
        PlannedSites = PlanSites(options, sensors);
    }

    public IReadOnlyList<string> PlannedSites { get; }

    /// <summary>The sites a source of these options delivers; a replay's from its header.</summary>
    public static IReadOnlyList<string> PlanSites(CrampSenseHostOptions options, SensorsOptions? sensors)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.SourceKind)
        {
            case FrameSourceKind.Simulator:
                return ScenarioCatalog.TryGet(options.Scenario, out var scenario) ? scenario.DefaultSites : [];
            case FrameSourceKind.Replay:
                if (options.ReplayPath is null || !File.Exists(options.ReplayPath))
                {
                    return [];
                }

                try
                {
                    using var stream = RecordingReader.OpenFile(options.ReplayPath);
                    using var reader = new RecordingReader(stream, options.ReplayPath);
                    return reader.Layout.Sites;
                }
                catch (Exception e) when (e is RecordingFormatException or IOException or UnauthorizedAccessException)
                {
                    return []; // the start-up validation reports it under Source:Path
                }

            default:
                return sensors?.Emg.Channels.Select(c => c.Site).ToArray() ?? [];
        }
    }

    public SourceSession Open()
    {
        var speed = _options.Speed;
        switch (_options.SourceKind)
        {
            case FrameSourceKind.Simulator:
            {
                var session = new SimulatedSession(_options.Scenario, _options.Seed);
                var source = new ReplaySource(session.Layout, session.TryReadFrame, speed, _time);
                return new SourceSession(source, SimulatedMotor(), $"simulator {_options.Scenario} seed {_options.Seed} ({SpeedText(speed)})");
            }

            case FrameSourceKind.Replay:
            {
                var stream = RecordingReader.OpenFile(_options.ReplayPath!);
                try
                {
                    var reader = new RecordingReader(stream, _options.ReplayPath!);
                    var source = new ReplaySource(reader, speed, _time);
                    return new SourceSession(source, SimulatedMotor(), $"replay {Path.GetFileName(_options.ReplayPath)} ({SpeedText(speed)})", stream);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
            }

            case FrameSourceKind.SimulatedHardware:
            {
                var rig = SimulatedRig.Build(_sensors!, _time);
                return new SourceSession(rig.Engine, rig.Motor, $"{rig.Engine.Adc.Chip} on {rig.Engine.Adc.Bus}");
            }

            default:
            {
                var rig = SensorComposition.Build(_sensors!, _time);
                return new SourceSession(rig.Engine, rig.Motor, $"{rig.Engine.Adc.Chip} on {rig.Engine.Adc.Bus}");
            }
        }
    }

    /// <summary>Without a Pi the motor pattern still runs, on a simulated GPIO pin (shown in the live view and logs).</summary>
    private HapticMotor SimulatedMotor() => new(new GpioController(new SimulatedGpioDriver()), 18, _time);

    private static string SpeedText(double speed) => double.IsPositiveInfinity(speed) ? "max speed" : $"{speed:0.##}×";
}
