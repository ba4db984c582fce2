using System.Globalization;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using Microsoft.Extensions.Configuration;
using static CrampSense.ServiceDefaults.ConfigurationValues;

namespace CrampSense.FirmwareHost.Configuration;

/// <summary>Where the frames come from (<c>Source:Kind</c>).</summary>
public enum FrameSourceKind
{
    /// <summary>The wired sensors (<c>Sensors</c> section): the Pi.</summary>
    Hardware,

    /// <summary>The physiological simulator (<c>Source:Scenario</c>, <c>Source:Seed</c>), paced like the sensors.</summary>
    Simulator,

    /// <summary>A recording (<c>Source:Path</c>), paced at <c>Source:Speed</c>.</summary>
    Replay,

    /// <summary>The configured wiring on the bus-level chip simulators (the hardware code path without a Pi).</summary>
    SimulatedHardware,
}

/// <summary>
/// The host's own settings: the <c>Source</c>, <c>Detection</c> and <c>Host</c> sections, read by <see cref="Read"/>
/// and checked by <see cref="Validate"/> (the options pattern of <c>CrampSense.ServiceDefaults.KeyedOptions</c>);
/// every problem names its key; the host checks them at start (ValidateOnStart).
/// </summary>
public sealed class CrampSenseHostOptions
{
    /// <summary>The default simulator scenario: a calf cramp within the first minute (first segment planned at 90 s).</summary>
    public const string DefaultScenario = "night-cramp";

    public FrameSourceKind SourceKind { get; set; } = FrameSourceKind.Hardware;

    /// <summary><c>Source:Scenario</c>: simulator scenario (<c>crampsense scenarios</c>).</summary>
    public string Scenario { get; set; } = DefaultScenario;

    /// <summary><c>Source:Seed</c>: simulator seed; the same seed gives the same session.</summary>
    public int Seed { get; set; } = 1;

    /// <summary><c>Source:Path</c>: the recording to replay.</summary>
    public string? ReplayPath { get; set; }

    /// <summary><c>Source:Speed</c>: 1 = real time, 10 = ten times faster, <c>max</c> = as fast as the detector runs.</summary>
    public double Speed { get; set; } = 1;

    /// <summary><c>Source:RetrySeconds</c>: how long to wait before reopening sensors that failed to open.</summary>
    public TimeSpan SourceRetry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Detection:ModelPath</c>: a model zip; empty = the model built into the host.</summary>
    public string? ModelPath { get; set; }

    /// <summary><c>Detection:ProfilePath</c>: a personal calibration profile (<c>crampsense calibrate</c>), or empty.</summary>
    public string? ProfilePath { get; set; }

    /// <summary><c>Host:Live</c>: the terminal view; null = on when standard output is a terminal.</summary>
    public bool? Live { get; set; }

    /// <summary><c>Host:DurationSeconds</c>: stop after this much session time (tests, demos); null = run until stopped.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary><c>Host:ExitAtEnd</c>: stop the host when a replay ends (default true for replays).</summary>
    public bool ExitAtEnd { get; set; } = true;

    /// <summary><c>Host:TelemetrySeconds</c>: telemetry period per site (1 Hz by default).</summary>
    public TimeSpan TelemetryPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Host:DrainSeconds</c>: at stop, how long to wait for the broker to take what is queued before disconnecting.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>True when the source is infinite (sensors, simulator).</summary>
    public bool IsReplay => SourceKind == FrameSourceKind.Replay;

    /// <summary>The source kind configured in <c>Source:Kind</c> (Hardware when unset or unreadable).</summary>
    public static FrameSourceKind ReadKind(IConfiguration configuration) => Read(configuration, []).SourceKind;

    /// <summary>Reads the sections; a malformed value adds a problem naming its key to <paramref name="problems"/> and keeps the default.</summary>
    public static CrampSenseHostOptions Read(IConfiguration configuration, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var o = new CrampSenseHostOptions();
        o.SourceKind = OneOf<FrameSourceKind>(configuration, "Source:Kind", problems) ?? o.SourceKind;
        o.Scenario = Text(configuration, "Source:Scenario") ?? o.Scenario;
        o.Seed = WholeNumber(configuration, "Source:Seed", problems) ?? o.Seed;
        o.ReplayPath = Text(configuration, "Source:Path");
        if (Text(configuration, "Source:Speed") is { } speed)
        {
            if (string.Equals(speed, "max", StringComparison.OrdinalIgnoreCase))
            {
                o.Speed = double.PositiveInfinity;
            }
            else if (double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && s >= 1)
            {
                o.Speed = s;
            }
            else
            {
                problems.Add($"Source:Speed: '{speed}' is not a speed; use 1 (real time), a larger number, or max.");
            }
        }

        o.SourceRetry = Seconds(configuration, "Source:RetrySeconds", problems) ?? o.SourceRetry;
        o.ModelPath = Text(configuration, "Detection:ModelPath");
        o.ProfilePath = Text(configuration, "Detection:ProfilePath");
        o.Live = TrueOrFalse(configuration, "Host:Live", problems);
        o.Duration = Seconds(configuration, "Host:DurationSeconds", problems);
        o.ExitAtEnd = TrueOrFalse(configuration, "Host:ExitAtEnd", problems) ?? o.ExitAtEnd;
        o.TelemetryPeriod = Seconds(configuration, "Host:TelemetrySeconds", problems) ?? o.TelemetryPeriod;
        o.DrainTimeout = Seconds(configuration, "Host:DrainSeconds", problems) ?? o.DrainTimeout;
        return o;
    }

    /// <summary>Why the recording's comment line, header or sample rate cannot be read (file, line and column), or null.</summary>
    private static string? RecordingHeaderProblem(string path)
    {
        try
        {
            using var stream = RecordingReader.OpenFile(path);
            using var reader = new RecordingReader(stream, path);
            return null;
        }
        catch (Exception e) when (e is RecordingFormatException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Every problem, each starting with its configuration key; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SourceKind == FrameSourceKind.Simulator && !ScenarioCatalog.TryGet(Scenario, out _))
        {
            problems.Add($"Source:Scenario: unknown scenario '{Scenario}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.");
        }

        if (SourceKind == FrameSourceKind.Replay)
        {
            if (ReplayPath is null)
            {
                problems.Add("Source:Path: Source:Kind is Replay but no recording is given (--replay rec.csv).");
            }
            else if (!File.Exists(ReplayPath))
            {
                problems.Add($"Source:Path: recording '{ReplayPath}' not found.");
            }
            else if (RecordingHeaderProblem(ReplayPath) is { } problem)
            {
                problems.Add($"Source:Path: {problem}");
            }
        }

        if (ModelPath is not null && !File.Exists(ModelPath))
        {
            problems.Add($"Detection:ModelPath: model '{ModelPath}' not found.");
        }

        if (ProfilePath is not null && !File.Exists(ProfilePath))
        {
            problems.Add($"Detection:ProfilePath: profile '{ProfilePath}' not found.");
        }

        if (TelemetryPeriod < TimeSpan.FromMilliseconds(100) || TelemetryPeriod > TimeSpan.FromHours(1))
        {
            problems.Add("Host:TelemetrySeconds: must be between 0.1 and 3600.");
        }

        return problems;
    }
}
