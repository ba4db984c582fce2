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
    public async Task Train_TinyBudget_ComparesAllLearnersWritesAModelThatScoresAndTheReports()
    {
        var model = Path.Combine(_files.Directory, "tiny.zip");
        File.WriteAllText(Path.Combine(_files.Directory, "README.md"), "# card\n\nkept text\n");

        // Half an hour is one training cycle of scenarios: every class (the artifacts come from the nuisance scenario).
        var exit = await Run("train", "--hours", "0.5", "--trees", "4", "--seed", "3", "--real", Path.Combine(AppContext.BaseDirectory, "data", "emg"), "--out", model);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        using (var loaded = CrampModel.Load(File.ReadAllBytes(model), "tiny"))
        {
            var p = loaded.Score(new float[ModelFeatureNames.Count]);
            Assert.InRange(p.Rest + p.Voluntary + p.Cramp + p.Artifact, 0.98f, 1.02f);
        }

        var text = _output.ToString();
        foreach (var learner in new[] { "fasttree-ova", "lightgbm", "lbfgs-maxent" })
        {
            Assert.Contains(learner, text, StringComparison.Ordinal);
        }

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_files.Directory, "metrics.json")));
        Assert.Equal(3, metrics.RootElement.GetProperty("comparison").EnumerateObject().Count());
        Assert.Equal(3, metrics.RootElement.GetProperty("seed").GetInt32());
        Assert.True(metrics.RootElement.GetProperty("training").GetProperty("real_recordings").GetInt32() > 0);
        var readme = File.ReadAllText(Path.Combine(_files.Directory, "README.md"));
        Assert.Contains("kept text", readme, StringComparison.Ordinal);
        Assert.Contains("| learner | event F1 |", readme, StringComparison.Ordinal);
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
