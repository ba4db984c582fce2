using System.CommandLine;
using System.Globalization;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense simulate --scenario night-cramp --duration 30m --seed 7 --sites calf,hamstring --out rec.csv</c>:
/// writes a simulated recording and its <c>.truth.json</c> sidecar. The simulator streams, so hours of data
/// never sit in memory; the output is written to a temporary file and moved into place only when complete.
/// </summary>
internal static class SimulateCommand
{
    internal static Command Create()
    {
        var scenario = new Option<string>("--scenario", "-s")
        {
            Description = "Scenario name (see `crampsense scenarios`).",
            Required = true,
        };
        var duration = new Option<string?>("--duration", "-d") { Description = "Length: 90s, 5m, 1h30m or a plain number of seconds; default the scenario's." };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same recording; another seed another subject.", DefaultValueFactory = _ => 1 };
        var sites = new Option<string?>("--sites") { Description = "Comma-separated EMG sites in column order, e.g. calf,hamstring; default the scenario's." };
        var sampleRate = new Option<double>("--sample-rate") { Description = "EMG sample rate in Hz.", DefaultValueFactory = _ => 1000 };
        var mains = new Option<double>("--mains") { Description = "Mains frequency of the hum, 50 or 60 Hz.", DefaultValueFactory = _ => 50 };
        var humUv = new Option<double?>("--hum-uv") { Description = "Continuous mains hum, µV peak (0 = none); default the scenario's." };
        var humBursts = new Option<double?>("--hum-bursts-per-hour") { Description = "Bursts of strong hum per hour; default the scenario's." };
        var wander = new Option<double?>("--wander-uv") { Description = "Baseline wander, µV peak; default the scenario's." };
        var motion = new Option<double?>("--motion-per-hour") { Description = "Motion artifacts per hour; default the scenario's." };
        var pops = new Option<double?>("--pops-per-hour") { Description = "Electrode pops per hour; default the scenario's." };
        var leadOffs = new Option<double?>("--lead-offs-per-hour") { Description = "Lead-off episodes (flat or railed) per hour; default the scenario's." };
        var coldSkin = new Option<bool?>("--cold-skin") { Description = "Add (true) or suppress (false) a cold-skin episode; default the scenario's." };
        var clean = new Option<bool>("--clean") { Description = "No nuisances at all (overrides the nuisance options)." };
        var engine = new Option<string>("--engine") { Description = "How the EMG is rendered: motor-unit (motor-unit pools) or stochastic (shaped Gaussian noise); same plan and truth.", DefaultValueFactory = _ => "motor-unit" };
        var randomise = new Option<bool?>("--randomise") { Description = "Randomise the front end, spectra, gains and floors widely from the seed (true/false); default on for stochastic, off for motor-unit." };
        var wearer = new Option<int?>("--wearer-seed") { Description = "The wearer: subject, front end and voluntary habit (habit-holds) from this seed, the plan from --seed; recordings with one wearer seed are of one person." };
        var noAccelerometer = new Option<bool>("--no-accelerometer") { Description = "Write no acc.x/acc.y/acc.z columns (a wearable without an IMU)." };
        var output = new Option<string>("--out", "-o") { Description = "The recording to write (CSV); truth goes to <name>.truth.json.", Required = true };

        var command = new Command("simulate", "Simulate a recording with its ground truth (motor-unit or stochastic engine; see `crampsense scenarios`).")
        {
            scenario, duration, seed, sites, sampleRate, mains, humUv, humBursts, wander, motion, pops, leadOffs, coldSkin, clean, engine, randomise, wearer, noAccelerometer, output,
        };
        command.SetAction(parseResult =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.Run(configuration.Error, () =>
            {
                var nuisances = parseResult.GetValue(clean)
                    ? NuisanceOptions.None
                    : new NuisanceOptions
                    {
                        HumMicrovolts = parseResult.GetValue(humUv),
                        HumBurstsPerHour = parseResult.GetValue(humBursts),
                        BaselineWanderMicrovolts = parseResult.GetValue(wander),
                        MotionArtifactsPerHour = parseResult.GetValue(motion),
                        ElectrodePopsPerHour = parseResult.GetValue(pops),
                        LeadOffsPerHour = parseResult.GetValue(leadOffs),
                        ColdSkin = parseResult.GetValue(coldSkin),
                    };
                var request = new SimulationRequest
                {
                    Scenario = parseResult.GetRequiredValue(scenario),
                    Duration = parseResult.GetValue(duration) is { } text ? DurationOption.Parse(text, "--duration") : null,
                    Seed = parseResult.GetValue(seed),
                    Sites = parseResult.GetValue(sites) is { } list ? list.Split(',', StringSplitOptions.TrimEntries) : null,
                    SampleRateHz = parseResult.GetValue(sampleRate),
                    MainsFrequencyHz = parseResult.GetValue(mains),
                    Nuisances = nuisances,
                    Engine = ParseEngine(parseResult.GetValue(engine), allowMixed: false) ?? SimulationEngine.MotorUnit,
                    RandomiseFrontEnd = parseResult.GetValue(randomise),
                    WearerSeed = parseResult.GetValue(wearer),
                };
                return Run(request, parseResult.GetRequiredValue(output), configuration.Output, parseResult.GetValue(noAccelerometer));
            });
        });
        return command;
    }

    /// <summary>The name of the mixed engine choice of <c>simulate-set --engine</c> (each recording one of the engines).</summary>
    internal const string MixedEngineName = "mixed";

    /// <summary>
    /// Reads an <c>--engine</c> value: an engine, or (when <paramref name="allowMixed"/>) <c>mixed</c> for null.
    /// </summary>
    /// <exception cref="CliInputException">The value names no engine; the message names the option and the choices.</exception>
    internal static SimulationEngine? ParseEngine(string? text, bool allowMixed)
    {
        if (SimulationEngines.TryParse(text, out var engine))
        {
            return engine;
        }

        if (allowMixed && string.Equals(text?.Trim(), MixedEngineName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var choices = allowMixed ? [.. SimulationEngines.Names, MixedEngineName] : SimulationEngines.Names;
        throw new CliInputException($"--engine: '{text}' is not an engine; use {string.Join(", ", choices)}.");
    }

    internal static int Run(SimulationRequest request, string outputPath, TextWriter console, bool dropAccelerometer = false)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            throw new CliInputException(string.Join(" ", errors));
        }

        var recording = Simulator.Start(request);
        var rows = ProgressReporter.Run($"simulating {request.Scenario}", progress => WriteRecording(recording, outputPath, progress, dropAccelerometer));
        var sidecar = GroundTruth.SidecarPathFor(outputPath);

        var layout = recording.Layout;
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Scenario} seed {request.Seed} ({SimulationEngines.Name(request.Engine)}{(request.IsFrontEndRandomised ? ", randomised front end" : "")}) -> {outputPath}: {rows} rows, {recording.Duration.TotalSeconds:0.###} s at {layout.SampleRateHz} Hz, sites {string.Join(", ", layout.Sites)}"));
        var kinds = recording.Truth.GroupBy(t => t.Kind).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {GroundTruth.KindName(g.Key)}"));
        console.WriteLine(recording.Truth.Count == 0
            ? $"truth: no intervals (nothing but rest) -> {sidecar}"
            : $"truth: {recording.Truth.Count} intervals ({string.Join(", ", kinds)}) -> {sidecar}");
        return 0;
    }

    /// <summary>
    /// Streams <paramref name="recording"/> into <paramref name="path"/> (whole or not at all) and its truth into
    /// the sidecar beside it; returns the rows written. Used by <c>simulate</c> and <c>simulate-set</c>.
    /// </summary>
    internal static long WriteRecording(SimulatedRecording recording, string path, IProgress<double>? progress, bool dropAccelerometer = false)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var layout = recording.Layout;
        if (dropAccelerometer)
        {
            layout = new RecordingLayout(layout.SampleRateHz, layout.Sites, layout.HasSkinTemperature, hasAcceleration: false, layout.Metadata);
        }

        var rows = OutputFile.WriteText("--out", path, text =>
        {
            var writer = new RecordingWriter(text, layout);
            var frame = layout.CreateFrame();
            while (recording.TryReadFrame(frame))
            {
                frame.HasAcceleration &= !dropAccelerometer;
                writer.Write(frame);
                if (progress is not null && (writer.RowsWritten & 0xFFFF) == 0)
                {
                    progress.Report((double)writer.RowsWritten / recording.TotalFrames);
                }
            }

            writer.Flush();
            return writer.RowsWritten;
        });
        OutputFile.WriteText("--out", GroundTruth.SidecarPathFor(path), new GroundTruth(recording.Truth).Write);
        return rows;
    }
}
