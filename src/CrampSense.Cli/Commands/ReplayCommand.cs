using System.CommandLine;
using System.Globalization;
using CrampSense.Cli.Detection;
using CrampSense.Cli.Mqtt;
using CrampSense.Cli.Plotting;
using CrampSense.Detection;
using CrampSense.Detection.Model;
using CrampSense.Messaging.Configuration;
using CrampSense.Signals.Features;

namespace CrampSense.Cli.Commands;

/// <summary>
/// <c>crampsense replay rec.csv [--model m.zip] [--profile p.json] [--device id] [--plot out.png] [--skip-bad-rows]
/// [--full-scale-mv 8.25] [--mqtt mqtt://host:port] [--follow [--follow-idle 10]]</c>: runs a recording through the same detector the service runs live and prints its
/// events, one JSON object per line, to standard output (times in seconds from the recording start). A cramp still
/// running at the end of the file is reported as started and ended there. The recording runs through the wearable's
/// own <c>DetectionSession</c>; with <c>--mqtt</c> its events, telemetry and the coach's prompts (for events,
/// activity and clock ticks) also go to a broker through the wearable's dispatcher, publisher and outbox
/// (<see cref="ReplayPublication"/>), and the command exits once the broker has acknowledged all of them. With
/// <c>--follow</c> it reads a recording another process is still writing (a clip, a capture) as it grows, printing
/// each event when it happens, and ends when the file is renamed or deleted (a finished <c>.partial</c>), when
/// nothing was appended for <c>--follow-idle</c> seconds, or at Ctrl-C.
/// </summary>
internal static class ReplayCommand
{
    internal static Command Create()
    {
        var recording = new Argument<string>("recording") { Description = "The recording (CSV, docs/recording-format.md)." };
        var model = new Option<string?>("--model", "-m") { Description = "Model zip; default the model built into crampsense." };
        var profile = new Option<string?>("--profile", "-p") { Description = "Personal calibration profile (crampsense calibrate)." };
        var device = new Option<string>("--device") { Description = "Device id written into the events.", DefaultValueFactory = _ => "replay" };
        var plot = new Option<string?>("--plot") { Description = "Also draw the recording with its events to this PNG: a panel per site and a close-up of each cramp (as crampsense plot)." };
        var skipBadRows = new Option<bool>("--skip-bad-rows") { Description = "Skip and count malformed rows instead of stopping at the first." };
        var windows = new Option<string?>("--windows") { Description = "Also write every window's class probabilities and model inputs, per site, to this CSV (for analysis)." };
        var mqtt = new Option<string?>("--mqtt")
        {
            Description = "Also send status, events and coach prompts to this broker (mqtt://host:port or mqtts://host:port) through the outbox; credentials from CRAMPSENSE_Mqtt__Username / __Password / __PasswordFile.",
        };
        var fullScale = FullScaleOption.Create();
        var mqttTimeout = new Option<double>("--mqtt-timeout") { Description = "Seconds to wait for the broker to acknowledge everything.", DefaultValueFactory = _ => 60 };
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "The recording is still being written (a clip, a capture): read it as it grows and print each event as it happens; end when the file is renamed or deleted, after --follow-idle seconds without new rows, or at Ctrl-C.",
        };
        var followIdle = new Option<double>("--follow-idle") { Description = "With --follow: seconds without new rows after which the replay ends.", DefaultValueFactory = _ => DefaultFollowIdleSeconds };
        var command = new Command("replay", "Run a recording through the cramp detector and print its events as JSON lines.")
        {
            recording, model, profile, device, plot, skipBadRows, windows, fullScale, mqtt, mqttTimeout, follow, followIdle,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var configuration = parseResult.InvocationConfiguration;
            return CliErrors.RunAsync(configuration.Error, async () =>
            {
                var deviceId = parseResult.GetValue(device) ?? "replay";
                var broker = parseResult.GetValue(mqtt);
                var range = FullScaleOption.Parse(parseResult.GetValue(fullScale));
                var timeout = parseResult.GetValue(mqttTimeout);
                if (broker is not null && (!double.IsFinite(timeout) || timeout <= 0))
                {
                    throw new CliInputException($"--mqtt-timeout: {timeout.ToString(CultureInfo.InvariantCulture)} is not a positive number of seconds");
                }

                var idle = parseResult.GetValue(followIdle);
                if (!double.IsFinite(idle) || idle < 0 || idle > MaximumFollowIdleSeconds)
                {
                    throw new CliInputException($"--follow-idle: {idle.ToString(CultureInfo.InvariantCulture)} is not a number of seconds from 0 to {MaximumFollowIdleSeconds}");
                }

                var recordingPath = parseResult.GetRequiredValue(recording);
                Func<FileStream, Func<RecordingGrowth>>? followFile = !parseResult.GetValue(follow) ? null : stream =>
                {
                    var waiter = new RecordingGrowthWaiter(recordingPath, stream, FollowPollInterval, TimeSpan.FromSeconds(idle), TimeProvider.System, cancellationToken);
                    return () => waiter.WaitAsync().GetAwaiter().GetResult(); // the replay is synchronous; nothing else runs on this thread
                };

                var result = Run(
                    recordingPath,
                    parseResult.GetValue(model),
                    parseResult.GetValue(profile),
                    deviceId,
                    parseResult.GetValue(plot),
                    parseResult.GetValue(skipBadRows),
                    parseResult.GetValue(windows),
                    configuration.Output,
                    configuration.Error,
                    validateBroker: broker is null ? null : sites => ReplayPublication.Options(broker, deviceId, sites, ReplayPublication.FromEnvironment()),
                    fullScale: range,
                    follow: followFile);
                if (result.Broker is { } options)
                {
                    var sent = await ReplayPublication.PublishAsync(options, result.Run.Items, result.Run.DurationSeconds, TimeSpan.FromSeconds(timeout), TimeProvider.System, cancellationToken).ConfigureAwait(false);
                    await configuration.Error.WriteLineAsync($"mqtt: {sent.Events} events, {sent.Prompts} prompts and {sent.Telemetry} telemetry messages acknowledged by {sent.Host}:{sent.Port} (device {deviceId})").ConfigureAwait(false);
                }

                return 0;
            });
        });
        return command;
    }

    /// <summary>How long a followed recording may stop growing before the replay ends, by default: a clip's writer appends every second.</summary>
    internal const double DefaultFollowIdleSeconds = 10;

    /// <summary>The longest --follow-idle: a day.</summary>
    internal const double MaximumFollowIdleSeconds = 86_400;

    /// <summary>How often a followed recording's length is looked at: events come at most this much later than the rows that made them.</summary>
    internal static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>What a replay produced, and the broker options when the replay also publishes.</summary>
    internal sealed record ReplayOutcome(DetectorRunner.Result Run, MessagingOptions? Broker);

    /// <summary>
    /// Replays the recording; <paramref name="validateBroker"/> (for --mqtt) checks the broker options before any work is
    /// done; with <paramref name="follow"/> (--follow) the recording is read as it grows, waiting at its end as the
    /// function made for the open file says (<see cref="RecordingSource.Follow"/>).
    /// </summary>
    internal static ReplayOutcome Run(
        string recordingPath,
        string? modelPath,
        string? profilePath,
        string device,
        string? plotPath,
        bool skipBadRows,
        string? windowsPath,
        TextWriter output,
        TextWriter error,
        Func<IReadOnlyList<string>, MessagingOptions>? validateBroker = null,
        FullScaleRange? fullScale = null,
        Func<FileStream, Func<RecordingGrowth>>? follow = null)
    {
        if (string.IsNullOrWhiteSpace(device))
        {
            throw new CliInputException("--device: the device id must not be empty");
        }

        if (plotPath is not null)
        {
            OutputFile.EnsureWritable("--plot", plotPath); // before the replay, which can take minutes
        }

        var profile = ModelFiles.LoadProfile(profilePath);
        var model = ModelFiles.Load(modelPath);
        var source = follow is null ? RecordingSource.Open(recordingPath, skipBadRows) : RecordingSource.Follow(recordingPath, skipBadRows, follow);
        var broker = validateBroker?.Invoke(source.Layout.Sites);
        var sink = new JsonLinesEventSink(output);
        var options = new CrampDetectorOptions { Device = device, Profile = profile, Features = new FeatureExtractorOptions { FullScale = fullScale } };
        long total = new FileInfo(recordingPath).Length;
        using var windows = windowsPath is null ? null : OutputFile.OpenText("--windows", windowsPath);
        // A followed recording is read on this thread: the read-ahead hands over blocks of seconds, which would hold its events back.
        var result = follow is not null
            ? DetectorRunner.Run(source, model, options, sink, windows: windows, keepItems: broker is not null)
            : ProgressReporter.Run($"replaying {Path.GetFileName(recordingPath)}", progress =>
                DetectorRunner.Run(source, model, options, sink, progress is null ? null : rows => progress.Report(Math.Min(1, rows * 40.0 / Math.Max(1, total))), windows, keepItems: broker is not null, readAhead: true));
        output.Flush();

        if (result.Rows == 0)
        {
            throw new CliInputException($"{recordingPath}: the recording has no rows to replay");
        }

        if (plotPath is not null)
        {
            // The plot's markers come from the events just detected, in the form `plot --events` reads.
            using var lines = new StringWriter { NewLine = "\n" };
            var plotSink = new JsonLinesEventSink(lines);
            foreach (var e in result.Events)
            {
                plotSink.OnEvent(e);
            }

            var markers = EventMarker.ReadJsonLines(new StringReader(lines.ToString()), "events");
            PlotCommand.Run(recordingPath, "--plot", plotPath, markers, truthPath: null, skipBadRows, error);
        }

        error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Path.GetFileName(recordingPath)}: {result.Rows} rows, {result.DurationSeconds:0.###} s; {result.Events.Count(e => e.Type == CrampEventKind.CrampStarted)} cramps, {result.Events.Count(e => e.Type == CrampEventKind.CrampWarning)} warnings, {result.Events.Count(e => e.Type == CrampEventKind.SignalFault)} faults ({model.Version})"));
        if (source.SkippedRows > 0)
        {
            error.WriteLine($"skipped {source.SkippedRows} rows; first: {source.SkipReasons[0]}");
        }

        return new ReplayOutcome(result, broker);
    }
}
