using CrampSense.Cli.Commands;
using CrampSense.Detection.Calibration;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Cli.Tests.Detection;

public sealed class PersonalTrainingTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    /// <summary>One wearer's habit on a two-site wearable without accelerometer (what the base detector calls cramps).</summary>
    private string Habit(string folder, int seed, string duration = "10m")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"habit-{seed}.csv");
        var request = new SimulationRequest { Scenario = "habit-holds", Seed = seed, WearerSeed = 5001, Duration = DurationOption.Parse(duration, "--duration"), Sites = ["calf", "shin"] };
        SimulateCommand.Run(request, path, TextWriter.Null, dropAccelerometer: true);
        return path;
    }

    [Fact]
    public async Task Train_PersonalOnAWearersRejectedHabit_WritesAProfileWithTheHabitThatRemovesTheFalseAlarmsOnANewRecording()
    {
        var train = Path.Combine(_files.Directory, "train");
        Habit(train, 81001);
        var fresh = Habit(Path.Combine(_files.Directory, "new"), 82001);
        var profile = Path.Combine(_files.Directory, "personal.json");

        var exit = await Run("train", "--personal", "--data", train, "--examples", "5", "--check-hours", "0.05", "--out", profile);

        Assert.Equal(string.Empty, _error.ToString());
        Assert.Equal(0, exit);
        var learnt = PersonalProfile.FromJson(File.ReadAllText(profile), profile);
        var habit = Assert.Single(learnt.Habits);
        Assert.Equal(5, habit.Examples);
        Assert.Contains("5 rejected, 0 confirmed", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("check on the base's evaluation sets", _output.ToString(), StringComparison.Ordinal);

        var before = new StringWriter();
        var after = new StringWriter();
        Assert.Equal(0, await CrampSenseCommand.RunAsync(["evaluate", fresh], before, _error));
        Assert.Equal(0, await CrampSenseCommand.RunAsync(["evaluate", fresh, "--profile", profile], after, _error));
        Assert.True(FalseAlarms(before) >= 3, before.ToString());
        Assert.True(FalseAlarms(after) <= FalseAlarms(before) / 5, $"{FalseAlarms(before)} -> {FalseAlarms(after)}");
    }

    [Fact]
    public async Task Train_PersonalOnUnconfirmedClipsOnly_LearnsNothingAndSaysWhy()
    {
        var clips = Path.Combine(_files.Directory, "clips");
        var recording = Habit(clips, 81001, "2m");
        var label = new ClipLabel
        {
            Intervals = RecordingSource(recording),
            Origin = ClipLabel.Detected,
            Trigger = "cramp_started",
            EventId = "e",
            Device = "pi",
            RecordedAt = DateTimeOffset.UnixEpoch,
        };
        ClipFiles.WriteLabel(GroundTruth.SidecarPathFor(recording), label);

        var exit = await Run("train", "--personal", "--data", clips, "--check-hours", "0.05", "--out", Path.Combine(_files.Directory, "p.json"));

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.Contains("labelled recordings: 0 of 1", _output.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("error: --personal: no habit could be learnt", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_files.Directory, "p.json")));
    }

    [Theory]
    [InlineData(new[] { "train", "--personal", "--check-hours", "0.05" }, "error: --data: --personal needs the wearer's labelled clips")]
    [InlineData(new[] { "train", "--personal", "--data", ".", "--examples", "2" }, "error: --examples: 2 is too few")]
    [InlineData(new[] { "train", "--personal", "--data", ".", "--check-hours", "0" }, "error: --check-hours: 0 is out of range")]
    public async Task Train_PersonalWithBadOptions_ExitsNamingTheOption(string[] args, string message)
    {
        var exit = await Run(args);

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.StartsWith(message, _error.ToString(), StringComparison.Ordinal);
    }

    private static IReadOnlyList<TruthInterval> RecordingSource(string recording) => Cli.Detection.RecordingSource.ReadTruth(recording);

    private static int FalseAlarms(StringWriter evaluate)
    {
        var text = evaluate.ToString();
        var at = text.IndexOf(" false alarms in ", StringComparison.Ordinal);
        var start = text.LastIndexOf(", ", at, StringComparison.Ordinal) + 2;
        return int.Parse(text[start..at], System.Globalization.CultureInfo.InvariantCulture);
    }
}
