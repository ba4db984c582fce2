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
}
