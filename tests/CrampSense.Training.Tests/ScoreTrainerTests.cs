using CrampSense.Detection;
using CrampSense.Detection.Model;
using Xunit;

namespace CrampSense.Training.Tests;

public sealed class ScoreTrainerTests
{
    /// <summary>
    /// Windows whose intent is told by motion (LogMotionEnergy high = voluntary) and whose artifact-ness by the median
    /// frequency (low = artifact); every other input is noise. All windows inside activity.
    /// </summary>
    internal static TrainingSet Separable(int perClass, int seed)
    {
        var random = new Random(seed);
        var set = new TrainingSet();
        var features = new float[ModelFeatureNames.Count];
        for (int n = 0; n < perClass; n++)
        {
            foreach (var label in new[] { ActivityClass.Voluntary, ActivityClass.Cramp, ActivityClass.Artifact, ActivityClass.Rest })
            {
                for (int i = 0; i < features.Length; i++)
                {
                    features[i] = (float)random.NextDouble();
                }

                features[(int)ModelFeature.LogMotionEnergy] = label == ActivityClass.Voluntary ? 2 + features[0] : -2 - features[0];
                features[(int)ModelFeature.MedianFrequency] = label == ActivityClass.Artifact ? 10 * features[1] : 80 + (40 * features[1]);
                set.Add(features, label, group: n % 5, insideActivity: label != ActivityClass.Rest);
            }
        }

        return set;
    }

    [Theory]
    [InlineData(ScoreLearner.FastTree)]
    [InlineData(ScoreLearner.LightGbm)]
    public void Train_SeparableIntent_ExportScoresVoluntaryHighAndCrampLow(ScoreLearner learner)
    {
        var trained = ScoreTrainer.Train(Separable(150, 1), WindowScoreKind.Intent, learner, seed: 1, trees: 10);
        var model = WindowScoreModel.FromDocument(trained.Document, WindowScoreKind.Intent);
        var input = new float[ModelFeatureNames.Count];
        Array.Fill(input, 0.5f);

        input[(int)ModelFeature.LogMotionEnergy] = 2.5f;
        float voluntary = model.Score(input);
        input[(int)ModelFeature.LogMotionEnergy] = -2.5f;
        float cramp = model.Score(input);

        Assert.True(voluntary > 0.5f && cramp < 0.5f, $"{learner}: voluntary {voluntary}, cramp {cramp}");
        Assert.Equal(ScoreFeatures.Intent.Select(f => f.ToString()), trained.Document.Features);
    }

    [Fact]
    public void Train_SeparableArtifact_ExportSeparatesOnSpectrumAndMeasuresSo()
    {
        var set = Separable(150, 2);
        var trained = ScoreTrainer.Train(set, WindowScoreKind.Artifact, ScoreLearner.FastTree, seed: 2, trees: 10);

        var quality = ScoreTrainer.Evaluate(WindowScoreModel.FromDocument(trained.Document, WindowScoreKind.Artifact), Separable(50, 3));

        Assert.True(quality.Auc > 0.95, $"AUC {quality.Auc}");
        Assert.True(quality.BalancedAccuracy > 0.9, $"balanced accuracy {quality.BalancedAccuracy}");
        Assert.Equal((50, 100), (quality.Positives, quality.Negatives));
    }

    [Fact]
    public void Train_SameSetAndSeed_GivesTheSameTrees()
    {
        var set = Separable(100, 2);

        var first = ScoreTrainer.Train(set, WindowScoreKind.Intent, ScoreLearner.LightGbm, seed: 4, trees: 8);
        var second = ScoreTrainer.Train(set, WindowScoreKind.Intent, ScoreLearner.LightGbm, seed: 4, trees: 8);

        Assert.Equal(first.Document.Bias, second.Document.Bias);
        Assert.Equal(first.Document.Trees.SelectMany(t => t.Leaves), second.Document.Trees.SelectMany(t => t.Leaves));
        Assert.Equal(first.Document.Trees.SelectMany(t => t.Threshold), second.Document.Trees.SelectMany(t => t.Threshold));
    }

    [Fact]
    public void Train_NoCrampInsideActivity_ThrowsNamingTheScore()
    {
        var set = new TrainingSet();
        set.Add(new float[ModelFeatureNames.Count], ActivityClass.Voluntary, 0, insideActivity: true);
        set.Add(new float[ModelFeatureNames.Count], ActivityClass.Cramp, 0, insideActivity: false);

        var e = Assert.Throws<InvalidOperationException>(() => ScoreTrainer.Train(set, WindowScoreKind.Intent, ScoreLearner.FastTree, 1));
        Assert.Contains("intent score", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OneClassOnly_IsUndefined()
    {
        var trained = ScoreTrainer.Train(Separable(60, 5), WindowScoreKind.Artifact, ScoreLearner.FastTree, seed: 1, trees: 4);
        var set = new TrainingSet();
        set.Add(new float[ModelFeatureNames.Count], ActivityClass.Cramp, 0);

        var quality = ScoreTrainer.Evaluate(WindowScoreModel.FromDocument(trained.Document, WindowScoreKind.Artifact), set);

        Assert.True(double.IsNaN(quality.Auc));
        Assert.Equal((0, 1), (quality.Positives, quality.Negatives));
    }
}
