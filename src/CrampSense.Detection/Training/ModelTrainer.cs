using CrampSense.Detection.Model;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CrampSense.Detection.Training;

/// <summary>The learning algorithms compared by <c>crampsense train</c>.</summary>
public enum ModelAlgorithm
{
    /// <summary>One-versus-all over FastTree boosted trees (binary, Platt-calibrated).</summary>
    FastTreeOneVersusAll,

    /// <summary>LightGBM multiclass boosted trees (softmax).</summary>
    LightGbm,

    /// <summary>Linear baseline: L-BFGS maximum entropy on mean-variance-normalised inputs.</summary>
    LbfgsMaximumEntropy,
}

/// <summary>
/// Trains the window model with ML.NET and writes it as a zip that <see cref="CrampModel.Load(Stream, string?)"/>
/// reads. Classes are weighted inversely to their frequency so the rare ones (cramp, artifact) count. Training
/// is single-threaded and seeded, so the same set and seed give the same model. FastTree and LightGbm training
/// need their native x64 libraries; scoring the result does not.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Every algorithm, in the order they are compared.</summary>
    public static IReadOnlyList<ModelAlgorithm> Algorithms { get; } = [ModelAlgorithm.FastTreeOneVersusAll, ModelAlgorithm.LightGbm, ModelAlgorithm.LbfgsMaximumEntropy];

    /// <summary>The name used in reports and on the command line.</summary>
    public static string NameOf(ModelAlgorithm algorithm) => algorithm switch
    {
        ModelAlgorithm.FastTreeOneVersusAll => "fasttree-ova",
        ModelAlgorithm.LightGbm => "lightgbm",
        ModelAlgorithm.LbfgsMaximumEntropy => "lbfgs-maxent",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown algorithm."),
    };

    /// <summary>Trains <paramref name="algorithm"/> on the windows of <paramref name="set"/> and writes the zip to <paramref name="output"/>.</summary>
    /// <param name="set">Labelled windows; every class must be present.</param>
    /// <param name="algorithm">Which learner.</param>
    /// <param name="seed">Seed of ML.NET's random choices.</param>
    /// <param name="output">Receives the model zip.</param>
    /// <param name="treeBudget">Boosting iterations per class for the tree learners (the scoring cost grows with it).</param>
    public static void Train(TrainingSet set, ModelAlgorithm algorithm, int seed, Stream output, int treeBudget = 60)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(output);
        for (int c = 0; c < ClassProbabilities.ClassCount; c++)
        {
            if (set.ClassCounts[c] == 0)
            {
                throw new InvalidOperationException($"The training set has no window of class {(ActivityClass)c}; every class is needed.");
            }
        }

        var weights = new float[ClassProbabilities.ClassCount];
        for (int c = 0; c < weights.Length; c++)
        {
            weights[c] = (float)((double)set.Count / (ClassProbabilities.ClassCount * set.ClassCounts[c]));
        }

        var rows = new LabelledWindow[set.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var label = set.LabelAt(i);
            rows[i] = new LabelledWindow { Label = (float)label, Weight = weights[(int)label], Features = set.FeaturesAt(i).ToArray() };
        }

        var context = new MLContext(seed);

        // Keys in value order (rest, voluntary, cramp, artifact), so the model's score i is ActivityClass i. The
        // mapping is applied to the data, not saved with the model: scoring needs only the features.
        var raw = context.Data.LoadFromEnumerable(rows);
        var data = context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(raw)
            .Transform(raw);
        IEstimator<ITransformer> pipeline = algorithm switch
        {
            ModelAlgorithm.FastTreeOneVersusAll => context.MulticlassClassification.Trainers.OneVersusAll(
                context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                {
                    LabelColumnName = "Label",
                    FeatureColumnName = "Features",
                    ExampleWeightColumnName = "Weight",
                    NumberOfTrees = treeBudget,
                    NumberOfLeaves = 16,
                    MinimumExampleCountPerLeaf = 40,
                    LearningRate = 0.2,
                    NumberOfThreads = 1,
                    Seed = seed,
                }),
                labelColumnName: "Label"),
            ModelAlgorithm.LightGbm => context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                ExampleWeightColumnName = "Weight",
                NumberOfIterations = treeBudget,
                NumberOfLeaves = 16,
                MinimumExampleCountPerLeaf = 40,
                LearningRate = 0.2,
                NumberOfThreads = 1,
                Seed = seed,
                Silent = true,
            }),
            ModelAlgorithm.LbfgsMaximumEntropy => context.Transforms.NormalizeMeanVariance("Features")
                .Append(context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = "Label",
                    FeatureColumnName = "Features",
                    ExampleWeightColumnName = "Weight",
                    NumberOfThreads = 1,
                })),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown algorithm."),
        };

        var model = pipeline.Fit(data);
        context.Model.Save(model, data.Schema, output);
    }
}
