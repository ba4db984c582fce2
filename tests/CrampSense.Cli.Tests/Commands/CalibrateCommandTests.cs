using CrampSense.Cli.Commands;
using CrampSense.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Simulation;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class CalibrateCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    private string Simulate(string name, string scenario, int seed, double seconds)
    {
        var path = Path.Combine(_files.Directory, name);
        SimulateCommand.Run(new SimulationRequest { Scenario = scenario, Seed = seed, Duration = TimeSpan.FromSeconds(seconds), Sites = ["calf", "shin"], Nuisances = NuisanceOptions.None }, path, TextWriter.Null);
        return path;
    }

    [Fact]
    public async Task Calibrate_RestAndHolds_WritesAProfileThatReplayUsesForPercentOfMax()
    {
        var rest = Simulate("rest.csv", "rest", 7101, 60);
        var holds = Simulate("holds.csv", "voluntary-holds", 7102, 120);
        var profilePath = Path.Combine(_files.Directory, "me.json");

        var exit = await Run("calibrate", "--rest", rest, "--max", holds, "--device", "pi-01", "--out", profilePath);

        Assert.Equal(0, exit);
        PersonalProfile profile;
        using (var text = File.OpenText(profilePath))
        {
            profile = PersonalProfile.Load(text, profilePath);
        }

        Assert.Equal("pi-01", profile.Device);
        var calf = profile.ForSite("calf")!;
        Assert.InRange(calf.RestFloorMicrovolts, 0.5, 10);
        Assert.True(calf.MaxVoluntaryMicrovolts > 10 * calf.RestFloorMicrovolts, $"max {calf.MaxVoluntaryMicrovolts} µV, floor {calf.RestFloorMicrovolts} µV");
        Assert.Contains("calf: rest floor", _output.ToString(), StringComparison.Ordinal);

        // A cramp replayed with the profile reports its amplitude in % of the calibrated maximum.
        var cramp = Path.Combine(_files.Directory, "cramp.csv");
        SimulateCommand.Run(new SimulationRequest { Scenario = "night-cramp", Seed = 7002, Duration = TimeSpan.FromMinutes(3), Sites = ["calf", "shin"] }, cramp, TextWriter.Null);
        _output.GetStringBuilder().Clear();
        Assert.Equal(0, await Run("replay", cramp, "--profile", profilePath));
        var events = JsonLinesEventSink.Read(new StringReader(_output.ToString()), "stdout");
        Assert.Contains(events, e => e.Type == CrampEventKind.CrampEnded && e.PeakPercentOfMax > 0);
    }

    [Fact]
    public async Task Calibrate_MaxWithSiteMissingFromRest_FailsNamingTheSite()
    {
        var rest = Path.Combine(_files.Directory, "rest1.csv");
        SimulateCommand.Run(new SimulationRequest { Scenario = "rest", Seed = 7103, Duration = TimeSpan.FromSeconds(20), Sites = ["calf"] }, rest, TextWriter.Null);
        var max = Simulate("max.csv", "voluntary-holds", 7104, 30);

        var exit = await Run("calibrate", "--rest", rest, "--max", max, "--out", Path.Combine(_files.Directory, "p.json"));

        Assert.NotEqual(0, exit);
        Assert.Contains("shin", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Calibrate_MissingRestFile_FailsWithOneLine()
    {
        var exit = await Run("calibrate", "--rest", Path.Combine(_files.Directory, "none.csv"), "--out", Path.Combine(_files.Directory, "p.json"));

        Assert.NotEqual(0, exit);
        Assert.Contains("none.csv", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibrate_MaxBelowTheRestFloor_RefusesNamingTheOptionAndWhatToDo()
    {
        var rest = Simulate("rest.csv", "rest", 7105, 20);
        var quieter = Amplified(Simulate("quiet.csv", "rest", 7106, 20), 0.25);

        var exit = await Run("calibrate", "--rest", rest, "--max", quieter, "--out", Path.Combine(_files.Directory, "me.json"));

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.StartsWith($"error: --max: {quieter}: Site 'calf': the maximal contraction (", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("as hard as you can", _error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A copy of the recording with every EMG value times <paramref name="gain"/>: a rest recording made to look like weak activity.</summary>
    private string Amplified(string path, double gain)
    {
        var lines = File.ReadAllLines(path);
        var header = Array.FindIndex(lines, l => !l.StartsWith('#'));
        var emg = lines[header].Split(',').Select((name, i) => (name, i)).Where(c => c.name.StartsWith("emg.", StringComparison.Ordinal)).Select(c => c.i).ToHashSet();
        for (var n = header + 1; n < lines.Length; n++)
        {
            var cells = lines[n].Split(',');
            foreach (var i in emg)
            {
                cells[i] = (double.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture) * gain).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            }

            lines[n] = string.Join(',', cells);
        }

        var copy = Path.Combine(_files.Directory, $"x{gain}-" + Path.GetFileName(path));
        File.WriteAllLines(copy, lines);
        return copy;
    }

    [Fact]
    public async Task Calibrate_MaxRecordedAtRest_RefusesWithTheNumbersAndWritesNothing()
    {
        var rest = Simulate("rest.csv", "rest", 7105, 20);
        var alsoRest = Amplified(Simulate("not-max.csv", "rest", 7106, 20), 4);
        var profilePath = Path.Combine(_files.Directory, "me.json");

        var exit = await Run("calibrate", "--rest", rest, "--max", alsoRest, "--out", profilePath);

        Assert.Equal(CliErrors.BadInput, exit);
        var error = _error.ToString();
        Assert.StartsWith($"error: --max: {alsoRest}: calf: maximal contraction ", error, StringComparison.Ordinal);
        Assert.Matches(@"is \d+\.\d× the rest floor \d+(\.\d+)? µV \(a usable one is ≥ 10×", error);
        Assert.Contains("as hard as you can", error, StringComparison.Ordinal);
        Assert.Contains("--accept-weak-max", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(profilePath));
    }

    [Fact]
    public async Task Calibrate_WeakMaxWithAcceptWeakMax_WritesTheProfileAndWarns()
    {
        var rest = Simulate("rest.csv", "rest", 7107, 20);
        var alsoRest = Amplified(Simulate("not-max.csv", "rest", 7108, 20), 4);
        var profilePath = Path.Combine(_files.Directory, "me.json");

        var exit = await Run("calibrate", "--rest", rest, "--max", alsoRest, "--out", profilePath, "--accept-weak-max");

        Assert.Equal(0, exit);
        Assert.True(File.Exists(profilePath));
        Assert.Contains("warning: calf: maximal contraction", _output.ToString(), StringComparison.Ordinal);
    }
}
