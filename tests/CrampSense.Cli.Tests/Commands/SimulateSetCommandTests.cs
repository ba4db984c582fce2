using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class SimulateSetCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    [Fact]
    public async Task SimulateSet_SmallBudget_WritesRecordingsWithTruthFromTheSeedBase()
    {
        var folder = Path.Combine(_files.Directory, "evalset");

        var exit = await Run("simulate-set", "--hours", "0.1", "--seed-base", "9000", "--out", folder);

        Assert.Equal(0, exit);
        var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["night-cramp-9000.csv", "night-cramp-9001.csv"], files.Select(Path.GetFileName).ToArray());
        Assert.All(files, f => Assert.True(File.Exists(GroundTruth.SidecarPathFor(f))));
        Assert.Contains("seed=9000", File.ReadLines(files[0]).First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateSet_SeedBaseInTheTrainingRange_IsRefused()
    {
        var exit = await Run("simulate-set", "--seed-base", "100000", "--out", Path.Combine(_files.Directory, "x"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--seed-base", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateSet_MixedEngine_WritesRecordingsFromBothEngines()
    {
        var folder = Path.Combine(_files.Directory, "mixed");

        var exit = await Run("simulate-set", "--hours", "0.1", "--seed-base", "9100", "--engine", "mixed", "--out", folder);

        Assert.Equal(0, exit);
        var engines = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal)
            .Select(f => File.ReadLines(f).First())
            .Select(header => header.Split(' ').Single(p => p.StartsWith("engine=", StringComparison.Ordinal)))
            .ToArray();
        Assert.Equal(["engine=motor-unit", "engine=stochastic"], engines);
        Assert.Contains("engine stochastic: 1 recordings, 1 with a randomised front end", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateSet_BadEngine_FailsNamingTheOptionAndTheChoices()
    {
        var exit = await Run("simulate-set", "--hours", "0.1", "--engine", "lego", "--out", Path.Combine(_files.Directory, "x"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--engine: 'lego' is not an engine; use motor-unit, stochastic, mixed.", _error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_files.Directory, "x")));
    }
}
