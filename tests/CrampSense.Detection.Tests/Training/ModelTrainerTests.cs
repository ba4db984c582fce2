using CrampSense.Detection.Model;
using CrampSense.Detection.Training;
using Xunit;

namespace CrampSense.Detection.Tests.Training;

public sealed class ModelTrainerTests
{
    /// <summary>Four classes told apart by the first two inputs: rest low/low, voluntary high/low, cramp high/high, artifact low/high.</summary>
    private static TrainingSet Separable(int perClass, int seed)
    {
        var random = new Random(seed);
        var set = new TrainingSet();
        var features = new float[ModelFeatureNames.Count];
        for (int n = 0; n < perClass; n++)
        {
            foreach (var label in Enum.GetValues<ActivityClass>())
            {
                for (int i = 0; i < features.Length; i++)
                {
                    features[i] = (float)random.NextDouble();
                }

                features[0] = label is ActivityClass.Voluntary or ActivityClass.Cramp ? 2 + features[0] : features[0];
                features[1] = label is ActivityClass.Cramp or ActivityClass.Artifact ? 2 + features[1] : features[1];
                set.Add(features, label, group: n % 5);
            }
        }

        return set;
    }

    [Theory]
    [InlineData(ModelAlgorithm.FastTreeOneVersusAll)]
    [InlineData(ModelAlgorithm.LightGbm)]
    [InlineData(ModelAlgorithm.LbfgsMaximumEntropy)]
    public void Train_SeparableClasses_ModelScoresEachClassInActivityClassOrder(ModelAlgorithm algorithm)
    {
        using var zip = new MemoryStream();
        ModelTrainer.Train(Separable(150, 1), algorithm, seed: 1, zip, treeBudget: 10);

        using var model = CrampModel.Load(zip.ToArray());
        var input = new float[ModelFeatureNames.Count];
        Array.Fill(input, 0.5f);
        (float A, float B, ActivityClass Expected)[] cases = [(0.5f, 0.5f, ActivityClass.Rest), (2.5f, 0.5f, ActivityClass.Voluntary), (2.5f, 2.5f, ActivityClass.Cramp), (0.5f, 2.5f, ActivityClass.Artifact)];
        foreach (var (a, b, expected) in cases)
        {
            input[0] = a;
            input[1] = b;
            var p = model.Score(input);
            Assert.True(p[expected] > 0.5f, $"{algorithm}: {expected} scored {p}");
        }
    }

    [Fact]
    public void Train_SameSetAndSeed_GivesTheSameScores()
    {
        var set = Separable(100, 2);
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        ModelTrainer.Train(set, ModelAlgorithm.LightGbm, seed: 4, first, treeBudget: 8);
        ModelTrainer.Train(set, ModelAlgorithm.LightGbm, seed: 4, second, treeBudget: 8);

        using var a = CrampModel.Load(first.ToArray());
        using var b = CrampModel.Load(second.ToArray());
        var random = new Random(3);
        var input = new float[ModelFeatureNames.Count];
        for (int k = 0; k < 20; k++)
        {
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (float)(random.NextDouble() * 3);
            }

            Assert.Equal(a.Score(input), b.Score(input));
        }
    }

    [Fact]
    public void Train_MissingClass_ThrowsNamingIt()
    {
        var set = new TrainingSet();
        set.Add(new float[ModelFeatureNames.Count], ActivityClass.Rest, 0);

        var e = Assert.Throws<InvalidOperationException>(() => ModelTrainer.Train(set, ModelAlgorithm.LightGbm, 1, new MemoryStream()));
        Assert.Contains("Voluntary", e.Message, StringComparison.Ordinal);
    }
}
