using CrampSense.Detection;
using CrampSense.Simulation;
using CrampSense.Cli.Commands;
using CrampSense.Cli.Detection;
using CrampSense.Signals.Recordings;
using MQTTnet;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    /// <summary>Mutated recordings the fuzz test runs through the command (256 here to keep the suite short; 1 024 measured, docs/recording-format.md).</summary>
    private const int MutatedFiles = 256, MutationSeed = 20261202;

    [Fact]
    public async Task Replay_256MutatedRecordings_SucceedsOrExitsWithOneLineNamingTheFile()
    {
        var outcome = await MutatedRecordings.RunAsync(_files, MutatedFiles, MutationSeed, path => ["replay", path]);

        Assert.True(outcome.Failures.Count == 0, $"{outcome.Failures.Count} failures:\n" + string.Join("\n", outcome.Failures.Take(10)));
        Assert.Equal(MutatedFiles, outcome.Succeeded + outcome.Rejected);
        Assert.InRange(outcome.Succeeded, 1, MutatedFiles - 1);
    }

    private string Simulate(string name, string scenario, int seed, TimeSpan duration, string[]? sites = null)
    {
        var path = Path.Combine(_files.Directory, name);
        SimulateCommand.Run(new SimulationRequest { Scenario = scenario, Seed = seed, Duration = duration, Sites = sites }, path, TextWriter.Null);
        return path;
    }

    [Fact]
    public async Task Replay_NightCramp_PrintsStartedAndEndedAsJsonLinesWithTheEmbeddedModel()
    {
        var recording = Simulate("night.csv", "night-cramp", 7002, TimeSpan.FromMinutes(3));

        var exit = await Run("replay", recording, "--device", "pi-03");

        Assert.Equal(0, exit);
        var events = JsonLinesEventSink.Read(new StringReader(_output.ToString()), "stdout");
        var started = Assert.Single(events, e => e.Type == CrampEventKind.CrampStarted);
        var ended = Assert.Single(events, e => e.Type == CrampEventKind.CrampEnded);
        Assert.Equal("pi-03", started.Device);
        Assert.StartsWith("crampsense-detector@", started.ModelVersion, StringComparison.Ordinal);
        Assert.True(ended.EndSeconds > started.ConfirmedSeconds);
        Assert.Contains("1 cramps", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_CrampRunningAtTheEnd_IsReportedAsStartedAndEndedAtTheEnd()
    {
        var full = Simulate("full.csv", "night-cramp", 7002, TimeSpan.FromMinutes(3));
        var truth = Cli.Detection.RecordingSource.ReadTruth(full).Single(t => t.Kind == Signals.Recordings.TruthKind.Cramp);
        Assert.True(truth.DurationSeconds > 8, "this seed's cramp is long enough to cut in the middle");
        double cut = truth.StartSeconds + 7;
        var cutPath = Path.Combine(_files.Directory, "cut.csv");
        using (var writer = new StreamWriter(cutPath))
        {
            foreach (var line in File.ReadLines(full))
            {
                if (line.Length > 0 && char.IsDigit(line[0]) && double.Parse(line[..line.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) >= cut)
                {
                    break;
                }

                writer.WriteLine(line);
            }
        }

        var exit = await Run("replay", cutPath);

        Assert.Equal(0, exit);
        var events = JsonLinesEventSink.Read(new StringReader(_output.ToString()), "stdout");
        var ended = Assert.Single(events, e => e.Type == CrampEventKind.CrampEnded);
        Assert.Equal(CrampEndReason.EndOfRecording, ended.EndReason);
        Assert.InRange(ended.EndSeconds!.Value, cut - 0.1, cut + 0.01);
    }

    [Fact]
    public async Task Replay_WithPlot_DrawsTheRecordingAndKeepsStdoutForEvents()
    {
        var recording = Simulate("short.csv", "rest", 7003, TimeSpan.FromSeconds(20), ["calf"]);
        var plot = Path.Combine(_files.Directory, "short.png");

        var exit = await Run("replay", recording, "--plot", plot);

        Assert.Equal(0, exit);
        Assert.True(new FileInfo(plot).Length > 1000);
        Assert.DoesNotContain("->", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingFile_FailsWithOneLine()
    {
        var exit = await Run("replay", Path.Combine(_files.Directory, "nope.csv"));

        Assert.NotEqual(0, exit);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("nope.csv", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_BadRow_FailsNamingTheLine_OrIsSkippedWhenAsked()
    {
        var path = _files.Write("bad.csv", "t_s,emg.calf\n0,0.001\n0.001,0.002\n0.002,oops\n0.003,0.001\n");

        var exit = await Run("replay", path);

        Assert.NotEqual(0, exit);
        Assert.Contains("line 4", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));

        _error.GetStringBuilder().Clear();
        Assert.Equal(0, await Run("replay", path, "--skip-bad-rows"));
    }

    [Fact]
    public async Task Replay_RecordingEndingInsideARow_ReadsTheWholeRowsAndSaysWhichLineWasIncomplete()
    {
        var path = _files.Write("growing.csv", "t_s,emg.calf\n0,0.001\n0.001,0.002\n0.002,0.001\n0.00");

        var exit = await Run("replay", path);

        Assert.Equal(0, exit);
        Assert.Contains("growing.csv: 3 rows", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("skipped 1 rows; first: ", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 5", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("the last row has no line end and is incomplete", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_FileAnotherWriterIsStillAppending_ReadsTheWholeRowsEachTimeAndDoesNotFail()
    {
        var path = Path.Combine(_files.Directory, "clip.csv");
        using var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        void Append(string text)
        {
            writer.Write(System.Text.Encoding.UTF8.GetBytes(text));
            writer.Flush();
        }

        var rows = new System.Text.StringBuilder("# crampsense-recording v1 sample_rate_hz=1000\nt_s,emg.calf\n");
        for (var i = 0; i < 3000; i++)
        {
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i / 1000.0:F3},0.00{i % 7}\n");
        }

        Append(rows.ToString() + "3.000,-"); // the writer is in the middle of row 3001 (line 3003)

        Assert.Equal(0, await Run("replay", path));
        Assert.Contains("clip.csv: 3000 rows", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 3003", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("the last row has no line end and is incomplete", _error.ToString(), StringComparison.Ordinal);

        _error.GetStringBuilder().Clear();
        Append("0.004\n3.001,0.001\n"); // the writer finishes that row and writes one more

        Assert.Equal(0, await Run("replay", path));
        Assert.Contains("clip.csv: 3002 rows", _error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("skipped", _error.ToString(), StringComparison.Ordinal);
        Assert.True(writer.CanWrite);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(4093)]
    [InlineData(65536)]
    public void Replay_FollowingARecordingWrittenInChunks_PrintsWhatTheFinishedFileGives(int chunkBytes)
    {
        // A night cramp with a prodrome and its end, written by "another process" in chunks cut anywhere (inside the
        // comment line, the header, a number): each time the replay waits at the end, the next chunk is appended.
        var finished = Simulate("finished.csv", "night-cramp", 7002, TimeSpan.FromMinutes(3));
        var bytes = File.ReadAllBytes(finished);
        var growing = Path.Combine(_files.Directory, "growing.csv");
        using var writer = new FileStream(growing, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var written = 0;
        var waits = 0;
        void AppendChunk()
        {
            var length = Math.Min(chunkBytes, bytes.Length - written);
            writer.Write(bytes, written, length);
            writer.Flush();
            written += length;
        }

        AppendChunk();
        var followed = new StringWriter();
        var followedSummary = new StringWriter();
        ReplayCommand.Run(growing, null, null, "replay", null, false, null, followed, followedSummary, follow: _ => () =>
        {
            waits++;
            if (written == bytes.Length)
            {
                return RecordingGrowth.Idle;
            }

            AppendChunk();
            return RecordingGrowth.Grew;
        });
        var whole = new StringWriter();
        var wholeSummary = new StringWriter();
        ReplayCommand.Run(finished, null, null, "replay", null, false, null, whole, wholeSummary);

        Assert.Equal(bytes.Length, written);
        Assert.Equal(wholeSummary.ToString().Replace("finished.csv", "growing.csv", StringComparison.Ordinal), followedSummary.ToString()); // every row, none skipped
        Assert.True(waits >= bytes.Length / chunkBytes, $"the replay waited {waits} times for {bytes.Length / chunkBytes + 1} chunks");
        Assert.Contains("cramp_started", whole.ToString(), StringComparison.Ordinal);
        Assert.Equal(whole.ToString(), followed.ToString());
    }

    [Fact]
    public void Replay_FollowedRecordingRenamedAway_ReadsWhatWasWrittenBeforeAndEnds()
    {
        // A clip is written under a hidden .partial name and renamed when whole: the replay holds the file open.
        var finished = Simulate("finished.csv", "night-cramp", 7002, TimeSpan.FromMinutes(3));
        var bytes = File.ReadAllBytes(finished);
        var partial = Path.Combine(_files.Directory, ".clip.csv.partial");
        File.WriteAllBytes(partial, bytes[..(bytes.Length / 2)]);
        var waits = new List<RecordingGrowth>();
        var followed = new StringWriter();
        ReplayCommand.Run(partial, null, null, "replay", null, false, null, followed, TextWriter.Null, follow: _ => () =>
        {
            if (waits.Count == 0)
            {
                using (var append = new FileStream(partial, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
                {
                    append.Write(bytes, bytes.Length / 2, bytes.Length - (bytes.Length / 2));
                }

                File.Move(partial, Path.Combine(_files.Directory, "clip.csv"));
            }

            waits.Add(File.Exists(partial) ? RecordingGrowth.Grew : RecordingGrowth.Gone);
            return waits[^1];
        });
        var whole = new StringWriter();
        ReplayCommand.Run(finished, null, null, "replay", null, false, null, whole, TextWriter.Null);

        Assert.Equal([RecordingGrowth.Gone], waits);
        Assert.Equal(whole.ToString(), followed.ToString());
    }

    [Fact]
    public async Task Replay_FollowWithNoIdleTime_EndsAtTheEndOfAFinishedFileWithItsEvents()
    {
        var recording = Simulate("night.csv", "night-cramp", 7002, TimeSpan.FromMinutes(3));
        Assert.Equal(0, await Run("replay", recording));
        var whole = _output.ToString();
        _output.GetStringBuilder().Clear();

        Assert.Equal(0, await Run("replay", recording, "--follow", "--follow-idle", "0"));

        Assert.Equal(whole, _output.ToString());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("86401")]
    public async Task Replay_FollowIdleOutOfRange_FailsNamingTheOption(string idle)
    {
        var recording = _files.Write("rest.csv", "# crampsense-recording v1 sample_rate_hz=1000\nt_s,emg.calf\n0.000,0.01\n");

        Assert.NotEqual(0, await Run("replay", recording, "--follow", "--follow-idle", idle));

        Assert.Contains("--follow-idle", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public void Replay_FollowedFileWhoseHeaderIsBrokenAndNotGrowing_FailsNamingTheFile()
    {
        var path = _files.Write("broken.csv", "time,emg.calf\n0.000,0.01\n");

        var error = Assert.Throws<RecordingFormatException>(() => ReplayCommand.Run(path, null, null, "replay", null, false, null, TextWriter.Null, TextWriter.Null, follow: _ => () => RecordingGrowth.Idle));

        Assert.Contains("broken.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("t_s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    public async Task Replay_FullScaleFromTheKeyOrTheOption_FlagsARailWithOneStepJitter(bool key, bool option, bool faulty)
    {
        // 10 s of rest noise, then 10 s at +5 mV with one-step (0.01 mV) jitter: only a known full scale of ±5 mV tells it is the rail.
        var random = new Random(3);
        var text = new System.Text.StringBuilder(key ? "# crampsense-recording v1 sample_rate_hz=1000 full_scale_mv=5\n" : "# crampsense-recording v1 sample_rate_hz=1000\n");
        text.Append("t_s,emg.calf\n");
        for (int n = 0; n < 20_000; n++)
        {
            double x = n < 10_000 ? 0.004 * (random.NextDouble() - 0.5) : 5 - (0.01 * random.Next(2));
            text.Append(FormattableString.Invariant($"{n / 1000.0:0.000},{x:0.#####}\n"));
        }

        var path = _files.Write("rail.csv", text.ToString());

        var exit = await Run(option ? ["replay", path, "--full-scale-mv", "5"] : ["replay", path]);

        Assert.Equal(0, exit);
        // The first faulty window holds the jump onto the rail: a few clipped samples, not yet most of the window.
        Assert.Equal(faulty, _output.ToString().Contains("\"faults\":[\"clipped\"]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("3:-3")]
    public async Task Replay_BadFullScaleOption_FailsWithOneLineNamingTheOption(string value)
    {
        var recording = Simulate("rest.csv", "rest", 7004, TimeSpan.FromSeconds(15), ["calf"]);

        var exit = await Run("replay", recording, "--full-scale-mv", value);

        Assert.NotEqual(0, exit);
        Assert.StartsWith("error: --full-scale-mv:", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Replay_BadFullScaleKey_FailsNamingFileLineAndKey()
    {
        var path = _files.Write("key.csv", "# crampsense-recording v1 sample_rate_hz=1000 full_scale_mv=huge\nt_s,emg.calf\n0,0.001\n0.001,0.002\n");

        var exit = await Run("replay", path);

        Assert.NotEqual(0, exit);
        Assert.Contains("key.csv line 1: metadata full_scale_mv: 'huge'", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ModelThatIsNotAZip_FailsWithOneLineNamingTheOption()
    {
        var recording = Simulate("rest.csv", "rest", 7004, TimeSpan.FromSeconds(15), ["calf"]);
        var model = _files.Write("model.zip", "not a zip");

        var exit = await Run("replay", recording, "--model", model);

        Assert.NotEqual(0, exit);
        Assert.StartsWith("error: --model:", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Replay_ProfileThatIsNotJson_NamesTheOptionAndA1BasedLine()
    {
        var recording = Simulate("rest3.csv", "rest", 7006, TimeSpan.FromSeconds(15), ["calf"]);
        var profile = _files.Write("me.json", "{\n  \"version\": 1,\n  oops\n}");

        var exit = await Run("replay", recording, "--profile", profile);

        Assert.Equal(CliErrors.BadInput, exit);
        var error = _error.ToString().Trim();
        Assert.StartsWith($"error: --profile: {profile}: not valid JSON at line 3, column 3: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_PlotIntoAMissingFolder_NamesTheOptionAndThePathGiven()
    {
        var recording = Simulate("rest4.csv", "rest", 7007, TimeSpan.FromSeconds(15), ["calf"]);
        var plot = Path.Combine(_files.Directory, "nowhere", "r.png");

        var exit = await Run("replay", recording, "--plot", plot);

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.StartsWith($"error: --plot: cannot write '{plot}': folder '", _error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(".partial", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_InvalidProfile_FailsNamingTheProperty()
    {
        var recording = Simulate("rest2.csv", "rest", 7005, TimeSpan.FromSeconds(15), ["calf"]);
        var profile = _files.Write("me.json", "{\"version\":1,\"created\":\"2026-11-26T13:00:00+00:00\",\"sites\":{\"calf\":{\"rest_floor_uv\":0}}}");

        var exit = await Run("replay", recording, "--profile", profile);

        Assert.NotEqual(0, exit);
        Assert.Contains("rest_floor_uv", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WithMqtt_SendsEveryPrintedEventAndThePromptsToTheBrokerBeforeExiting()
    {
        var ct = TestContext.Current.CancellationToken;
        var recording = Simulate("mqtt.csv", "night-cramp", 7002, TimeSpan.FromMinutes(3));
        var device = $"replay-{Guid.NewGuid():N}"[..20];
        var port = TestFiles.FreeLoopbackPort();
        await using var broker = await CrampSense.Messaging.Broker.EmbeddedBroker.StartAsync(new CrampSense.Messaging.Configuration.MessagingOptions { DeviceId = "broker", BrokerPort = port }, ct);
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Topic, string Payload)>();
        using var subscriber = new MQTTnet.MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString()));
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("replay-cli-sub").Build(), ct);
        await subscriber.SubscribeAsync($"crampsense/v1/{device}/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, ct);
        var outbox = CrampSense.Cli.Mqtt.ReplayPublication.DefaultOutboxPath(device);
        try
        {
            var exit = await Run("replay", recording, "--device", device, "--mqtt", $"mqtt://127.0.0.1:{port}", "--mqtt-timeout", "30");

            Assert.Equal(0, exit);
            var printed = JsonLinesEventSink.Read(new StringReader(_output.ToString()), "stdout");
            Assert.Contains(printed, e => e.Type == CrampEventKind.CrampStarted);
            Assert.Contains("acknowledged by 127.0.0.1", _error.ToString(), StringComparison.Ordinal);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            while (received.Count(m => m.Topic.EndsWith("/event", StringComparison.Ordinal) || m.Topic.EndsWith("/fault", StringComparison.Ordinal)) < printed.Count
                || !received.Any(m => m.Topic.EndsWith("/prompt", StringComparison.Ordinal)))
            {
                // Polls what the subscriber has received; the deadline decides failure.
                await Task.Delay(20, deadline.Token);
            }

            foreach (var e in printed)
            {
                Assert.Contains(received, m => m.Payload.Contains($"\"event_id\":\"{e.Id}\"", StringComparison.Ordinal) || m.Payload.Contains($"\"id\":\"{e.Id}", StringComparison.Ordinal));
            }

            Assert.Contains(received, m => m.Topic.EndsWith("/prompt", StringComparison.Ordinal) && m.Payload.Contains("\"kind\":\"stretch\"", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(outbox);
        }
    }

    [Fact]
    public async Task Replay_WithABadMqttAddress_FailsBeforeReplayingNamingTheOption()
    {
        var recording = Simulate("bad-mqtt.csv", "rest", 1, TimeSpan.FromMinutes(1));

        var exit = await Run("replay", recording, "--mqtt", "http://example:1883");

        Assert.Equal(1, exit);
        Assert.Contains("--mqtt:", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, _output.ToString());
    }
}
