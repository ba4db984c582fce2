using CrampSense.Cli.Commands;
using CrampSense.Detection.Evaluation;
using CrampSense.Simulation;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    private void Simulate(string folder, string scenario, int seed, TimeSpan duration)
    {
        Directory.CreateDirectory(folder);
        SimulateCommand.Run(new SimulationRequest { Scenario = scenario, Seed = seed, Duration = duration }, Path.Combine(folder, $"{scenario}-{seed}.csv"), TextWriter.Null);
    }

    [Fact]
    public async Task Evaluate_FolderOfRecordings_PrintsPerFileTableTotalsAndWritesJson()
    {
        var folder = Path.Combine(_files.Directory, "set");
        Simulate(folder, "night-cramp", 7002, TimeSpan.FromMinutes(3));
        Simulate(folder, "short-contractions", 7022, TimeSpan.FromMinutes(2));
        var json = Path.Combine(_files.Directory, "report.json");

        var exit = await Run("evaluate", folder, "--json", json);

        Assert.Equal(0, exit);
        var text = _output.ToString();
        Assert.Contains("night-cramp-7002.csv", text, StringComparison.Ordinal);
        Assert.Contains("short-contractions-7022.csv", text, StringComparison.Ordinal);
        Assert.Contains("TOTAL", text, StringComparison.Ordinal);
        Assert.Contains("recall 1", text, StringComparison.Ordinal);
        Assert.Contains("false alarms voluntary holds", text, StringComparison.Ordinal);
        Assert.Contains("no cramp on any labelled contraction shorter than 5 s", text, StringComparison.Ordinal);
        var report = EvaluationReport.FromJson(File.ReadAllText(json));
        Assert.Equal(2, report.Files.Count);
        Assert.Equal(1, report.Totals.TrueCramps);
        Assert.Equal(1, report.Totals.Matched);
        Assert.Contains(report.Files, f => f.Scenario == ScenarioKind.VoluntaryHolds);
    }

    [Fact]
    public async Task Evaluate_BadFullScaleOption_FailsWithOneLineNamingTheOption()
    {
        var exit = await Run("evaluate", _files.Directory, "--full-scale-mv", "-1");

        Assert.NotEqual(0, exit);
        Assert.StartsWith("error: --full-scale-mv: '-1' is not a full scale", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Evaluate_MissingPath_FailsWithOneLineNamingIt()
    {
        var exit = await Run("evaluate", Path.Combine(_files.Directory, "missing"));

        Assert.NotEqual(0, exit);
        Assert.Contains("missing: no such file or folder", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Evaluate_BadTruthSidecar_FailsNamingTheSidecar()
    {
        var folder = Path.Combine(_files.Directory, "bad");
        Directory.CreateDirectory(folder);
        var recording = Path.Combine(folder, "r.csv");
        File.WriteAllText(recording, "t_s,emg.calf\n0,0.001\n0.001,0.002\n");
        File.WriteAllText(Path.Combine(folder, "r.truth.json"), "{\"version\":1,\"intervals\":[{\"kind\":\"cramp\"}]}");

        var exit = await Run("evaluate", folder);

        Assert.NotEqual(0, exit);
        Assert.Contains("r.truth.json", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
