using System.Text.Json;
using CrampSense.Detection.Model;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    [Fact]
    public async Task Train_TinyBudget_ComparesBothLearnersPerScoreWritesAModelThatScoresAndTheReports()
    {
        var model = Path.Combine(_files.Directory, "tiny.zip");
        File.WriteAllText(Path.Combine(_files.Directory, "README.md"), "# card\n\nkept text\n");

        // Half an hour is one training cycle of scenarios: cramps, voluntary activity and artifacts (the nuisance scenario).
        var exit = await Run("train", "--hours", "0.5", "--trees", "4", "--seed", "3", "--engine", "motor-unit", "--real", Path.Combine(AppContext.BaseDirectory, "data", "emg"), "--out", model);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        var loaded = CrampModel.Load(File.ReadAllBytes(model), "tiny");
        var scores = loaded.Score(new float[ModelFeatureNames.Count]);
        Assert.InRange(scores.Intent, 0f, 1f);
        Assert.InRange(scores.Artifact, 0f, 1f);

        var text = _output.ToString();
        foreach (var learner in new[] { "fasttree", "lightgbm" })
        {
            Assert.Contains(learner, text, StringComparison.Ordinal);
        }

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_files.Directory, "metrics.json")));
        var comparison = metrics.RootElement.GetProperty("comparison").EnumerateArray().ToArray();
        Assert.Equal(4, comparison.Length);
        Assert.All(comparison, c => Assert.Equal(["motor-unit", "stochastic"], c.GetProperty("validation").EnumerateObject().Select(p => p.Name)));
        Assert.Equal("motor-unit", metrics.RootElement.GetProperty("training").GetProperty("engine").GetString());
        Assert.Equal(3, metrics.RootElement.GetProperty("seed").GetInt32());
        Assert.True(metrics.RootElement.GetProperty("training").GetProperty("real_recordings").GetInt32() > 0);
        var readme = File.ReadAllText(Path.Combine(_files.Directory, "README.md"));
        Assert.Contains("kept text", readme, StringComparison.Ordinal);
        Assert.Contains("| score | learner | AUC motor-unit |", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_UnknownEngine_FailsNamingTheOption()
    {
        var exit = await Run("train", "--engine", "analogue", "--out", Path.Combine(_files.Directory, "m.zip"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--engine", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("analogue", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_UnknownLearner_FailsWithOneLineListingTheKnownOnes()
    {
        var exit = await Run("train", "--algorithms", "svm", "--out", Path.Combine(_files.Directory, "m.zip"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--algorithms: unknown learner 'svm'", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("lightgbm", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_HoldOutUnknownScenario_FailsNamingIt()
    {
        var exit = await Run("train", "--hold-out", "skiing", "--out", Path.Combine(_files.Directory, "m.zip"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--hold-out: unknown scenario 'skiing'", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_MissingDataFolder_FailsNamingIt()
    {
        var exit = await Run("train", "--data", Path.Combine(_files.Directory, "nowhere"), "--out", Path.Combine(_files.Directory, "m.zip"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--data: folder", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("nowhere", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_Help_DefaultOutputIsOutsideModels()
    {
        // Without --out an experiment must not replace the shipped model (models/crampsense-detector.zip).
        var exit = await Run("train", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("[default: out/crampsense-detector.zip]", _output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("--out <--out> (REQUIRED)", _output.ToString(), StringComparison.Ordinal);
    }
}
