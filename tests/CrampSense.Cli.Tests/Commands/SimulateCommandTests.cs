using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    [Fact]
    public async Task Simulate_WritesTheSimulatorsFramesAndTruthUnchanged()
    {
        var output = Path.Combine(_files.Directory, "night.csv");

        var exit = await Run("simulate", "--scenario", "night-cramp", "--duration", "2m", "--seed", "7", "--sites", "calf,hamstring", "--out", output);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        var expected = Simulator.Start(new SimulationRequest
        {
            Scenario = "night-cramp",
            Duration = TimeSpan.FromMinutes(2),
            Seed = 7,
            Sites = ["calf", "hamstring"],
            Nuisances = new NuisanceOptions(),
        });
        using var text = File.OpenText(output);
        var reader = new RecordingReader(text, output);
        Assert.Equal(["calf", "hamstring"], reader.Layout.Sites);
        Assert.Equal(1000, reader.Layout.SampleRateHz);
        var actualFrame = reader.Layout.CreateFrame();
        var expectedFrame = expected.Layout.CreateFrame();
        while (expected.TryReadFrame(expectedFrame))
        {
            Assert.True(reader.TryReadFrame(actualFrame));
            Assert.Equal(expectedFrame.TimeSeconds, actualFrame.TimeSeconds, 9);
            Assert.Equal(expectedFrame.EmgMillivolts, actualFrame.EmgMillivolts);
            Assert.Equal(expectedFrame.HasSkinTemperature, actualFrame.HasSkinTemperature);
            Assert.Equal(expectedFrame.HasAcceleration, actualFrame.HasAcceleration);
        }

        Assert.False(reader.TryReadFrame(actualFrame));
        Assert.Equal(120_000, reader.RowsRead);

        var sidecar = GroundTruth.SidecarPathFor(output);
        using var truthText = File.OpenText(sidecar);
        var truth = GroundTruth.Read(truthText, sidecar);
        Assert.Equal(expected.Truth.Count, truth.Intervals.Count);
        Assert.Contains(truth.Intervals, i => i.Kind == TruthKind.Cramp);
        Assert.Contains("night-cramp seed 7", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_UnknownScenario_FailsWithOneLineNamingTheOptionAndWritesNothing()
    {
        var output = Path.Combine(_files.Directory, "x.csv");

        var exit = await Run("simulate", "--scenario", "moonwalk", "--out", output);

        Assert.NotEqual(0, exit);
        Assert.Contains("--scenario: unknown scenario 'moonwalk'", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--duration", "soon", "--duration:")]
    [InlineData("--sites", "Calf", "--sites:")]
    [InlineData("--mains", "55", "--mains:")]
    [InlineData("--pops-per-hour", "-3", "--pops-per-hour:")]
    [InlineData("--engine", "granular", "--engine: 'granular' is not an engine; use motor-unit, stochastic.")]
    [InlineData("--engine", "mixed", "--engine: 'mixed' is not an engine")]
    public async Task Simulate_BadOption_FailsNamingTheOption(string option, string value, string expected)
    {
        var exit = await Run("simulate", "--scenario", "rest", option, value, "--out", Path.Combine(_files.Directory, "y.csv"));

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_Clean_HasNoArtifactOrFaultTruth()
    {
        var output = Path.Combine(_files.Directory, "clean.csv");

        var exit = await Run("simulate", "--scenario", "nuisances", "--duration", "2m", "--seed", "3", "--clean", "--out", output);

        Assert.Equal(0, exit);
        var sidecar = GroundTruth.SidecarPathFor(output);
        using var text = File.OpenText(sidecar);
        Assert.DoesNotContain(GroundTruth.Read(text, sidecar).Intervals, i => i.Kind is TruthKind.Artifact or TruthKind.Fault);
    }

    [Fact]
    public async Task Scenarios_ListsEveryCatalogEntry()
    {
        var exit = await Run("scenarios");

        Assert.Equal(0, exit);
        var lines = _output.ToString().Trim().Split('\n');
        Assert.Equal(ScenarioCatalog.All.Count, lines.Length);
        foreach (var scenario in ScenarioCatalog.All)
        {
            Assert.Contains(lines, l => l.StartsWith(scenario.Name + " ", StringComparison.Ordinal) && l.Contains(scenario.Summary, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("stochastic", null, "stochastic", true)]
    [InlineData("stochastic", "false", "stochastic", false)]
    [InlineData("motor-unit", "true", "motor-unit", true)]
    [InlineData(null, null, "motor-unit", false)]
    public async Task Simulate_Engine_WritesThatEnginesRecordingWithTheSameTruth(string? engine, string? randomise, string expectedEngine, bool expectRandomised)
    {
        var output = Path.Combine(_files.Directory, "engine.csv");
        string[] args = ["simulate", "--scenario", "night-cramp", "--duration", "2m", "--seed", "7", "--sites", "calf", "--out", output];
        args = [.. args, .. engine is null ? [] : new[] { "--engine", engine }, .. randomise is null ? [] : new[] { "--randomise", randomise }];

        var exit = await Run(args);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        using var text = File.OpenText(output);
        var reader = new RecordingReader(text, output);
        Assert.Equal(expectedEngine, reader.Layout.Metadata["engine"]);
        Assert.Equal(expectRandomised, reader.Layout.Metadata.ContainsKey("front_end"));
        var frame = reader.Layout.CreateFrame();
        var rows = 0;
        while (reader.TryReadFrame(frame))
        {
            rows++;
        }

        Assert.Equal(120_000, rows);

        // Same plan whichever engine renders it.
        var expected = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Duration = TimeSpan.FromMinutes(2), Seed = 7, Sites = ["calf"] });
        var sidecar = GroundTruth.SidecarPathFor(output);
        using var truthText = File.OpenText(sidecar);
        Assert.Equal(expected.Truth, GroundTruth.Read(truthText, sidecar).Intervals);
    }
}
