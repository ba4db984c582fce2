using System.Globalization;
using CrampSense.Detection.Model;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CrampSense.Training;

/// <summary>The learners compared for each score (both export into the detector's tree format).</summary>
public enum ScoreLearner
{
    /// <summary>ML.NET FastTree boosted trees, binary, Platt-calibrated.</summary>
    FastTree,

    /// <summary>LightGBM boosted trees, binary, Platt-calibrated.</summary>
    LightGbm,
}

/// <summary>One trained score: the detector's scoring document (checked against ML.NET) and ML.NET's own model zip.</summary>
/// <param name="Kind">Which score.</param>
/// <param name="Learner">Which learner.</param>
/// <param name="Document">The exported trees, as the detector scores them.</param>
/// <param name="MlNetZip">ML.NET's model zip (kept in the package for reference and retraining checks).</param>
public sealed record TrainedScore(WindowScoreKind Kind, ScoreLearner Learner, ScoreModelDocument Document, byte[] MlNetZip);

/// <summary>How well a score separates its two classes on a set of windows.</summary>
/// <param name="Auc">Area under the ROC curve (ML.NET's binary evaluator); NaN when a class is missing.</param>
/// <param name="BalancedAccuracy">Mean of the two classes' recalls at p = 0.5; NaN when a class is missing.</param>
/// <param name="Positives">Windows of the positive class (voluntary; non-muscle).</param>
/// <param name="Negatives">Windows of the negative class (cramp; muscle).</param>
public sealed record ScoreQuality(double Auc, double BalancedAccuracy, int Positives, int Negatives);

/// <summary>
/// Trains one score with ML.NET on its own inputs only (<see cref="ScoreFeatures"/>), exports the trees into the
/// detector's format and checks that the detector's scorer gives ML.NET's probabilities (±1e-4) before anything is
/// returned. The two classes are weighted equally. Single-threaded and seeded: the same set and seed give the same
/// model. FastTree and LightGbm training need their native x64 libraries; scoring the export needs nothing.
/// </summary>
public static class ScoreTrainer
{
    /// <summary>Largest difference allowed between ML.NET's probability and the exported scorer's.</summary>
    public const double ExportTolerance = 1e-4;

    /// <summary>Every learner, in the order they are compared.</summary>
    public static IReadOnlyList<ScoreLearner> Learners { get; } = [ScoreLearner.FastTree, ScoreLearner.LightGbm];

    /// <summary>The name used in reports and on the command line.</summary>
    public static string NameOf(ScoreLearner learner) => learner switch
    {
        ScoreLearner.FastTree => "fasttree",
        ScoreLearner.LightGbm => "lightgbm",
        _ => throw new ArgumentOutOfRangeException(nameof(learner), learner, "Unknown learner."),
    };

    /// <summary>Trains <paramref name="kind"/> with <paramref name="learner"/> on the examples of <paramref name="set"/> (<see cref="ScoreTargets"/>).</summary>
    /// <exception cref="InvalidOperationException">The set lacks one of the score's classes, or the export does not reproduce ML.NET.</exception>
    public static TrainedScore Train(TrainingSet set, WindowScoreKind kind, ScoreLearner learner, int seed, int trees = 60)
    {
        ArgumentNullException.ThrowIfNull(set);
        string score = ScoreFeatures.NameOf(kind);
        var inputs = ScoreFeatures.For(kind);
        var (positive, negative) = ScoreTargets.Count(set, kind);
        if (positive == 0 || negative == 0)
        {
            throw new InvalidOperationException($"The training set has {positive} positive and {negative} negative windows for the {score} score; both classes are needed.");
        }

        float positiveWeight = (float)((positive + negative) / (2.0 * positive));
        float negativeWeight = (float)((positive + negative) / (2.0 * negative));
        var indices = inputs.Select(f => (int)f).ToArray();
        var floors = inputs.Select(ScoreFeatures.InputFloor).ToArray();
        var rows = new List<ScoreRow>(positive + negative);
        for (int i = 0; i < set.Count; i++)
        {
            if (ScoreTargets.Label(set, i, kind) is { } label)
            {
                var values = new float[indices.Length];
                ScoreFeatures.Gather(set.FeaturesAt(i), indices, floors, values);
                rows.Add(new ScoreRow { Label = label, Weight = label ? positiveWeight : negativeWeight, Features = values });
            }
        }

        var context = new MLContext(seed);
        var schema = Schema(inputs.Count);
        var data = context.Data.LoadFromEnumerable(rows, schema);
        IEstimator<ITransformer> trainer = learner switch
        {
            ScoreLearner.FastTree => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = nameof(ScoreRow.Label),
                FeatureColumnName = nameof(ScoreRow.Features),
                ExampleWeightColumnName = nameof(ScoreRow.Weight),
                NumberOfTrees = trees,
                NumberOfLeaves = 16,
                MinimumExampleCountPerLeaf = 40,
                LearningRate = 0.2,
                NumberOfThreads = 1,
                Seed = seed,
            }),
            ScoreLearner.LightGbm => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = nameof(ScoreRow.Label),
                FeatureColumnName = nameof(ScoreRow.Features),
                ExampleWeightColumnName = nameof(ScoreRow.Weight),
                NumberOfIterations = trees,
                NumberOfLeaves = 16,
                MinimumExampleCountPerLeaf = 40,
                LearningRate = 0.2,
                NumberOfThreads = 1,
                Seed = seed,
                Silent = true,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(learner), learner, "Unknown learner."),
        };

        var model = trainer.Fit(data);
        var document = TreeEnsembleExport.Export(model, NameOf(learner), inputs);
        Verify(context, model, schema, document, kind, rows, seed);
        using var zip = new MemoryStream();
        context.Model.Save(model, data.Schema, zip);
        return new TrainedScore(kind, learner, document, zip.ToArray());
    }

    /// <summary>How well <paramref name="model"/> separates its classes on the examples of <paramref name="set"/>.</summary>
    public static ScoreQuality Evaluate(WindowScoreModel model, TrainingSet set)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        var rows = new List<ScoredRow>();
        int positive = 0;
        for (int i = 0; i < set.Count; i++)
        {
            if (ScoreTargets.Label(set, i, model.Kind) is { } label)
            {
                // The evaluator thresholds the score column at 0; p − 0.5 ranks as p (same AUC) and cuts at p = 0.5.
                float p = model.Score(set.FeaturesAt(i));
                rows.Add(new ScoredRow { Label = label, Score = p - 0.5f, Probability = p, PredictedLabel = p > 0.5f });
                positive += label ? 1 : 0;
            }
        }

        int negative = rows.Count - positive;
        if (positive == 0 || negative == 0)
        {
            return new ScoreQuality(double.NaN, double.NaN, positive, negative);
        }

        var context = new MLContext(0);
        var metrics = context.BinaryClassification.Evaluate(context.Data.LoadFromEnumerable(rows));
        return new ScoreQuality(metrics.AreaUnderRocCurve, (metrics.PositiveRecall + metrics.NegativeRecall) / 2, positive, negative);
    }

    private static SchemaDefinition Schema(int inputCount)
    {
        var schema = SchemaDefinition.Create(typeof(ScoreRow));
        schema[nameof(ScoreRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, inputCount);
        return schema;
    }

    /// <summary>
    /// The export must give ML.NET's probabilities on training rows and on random vectors over the inputs' ranges
    /// (ratios, seconds, Hz, degrees), so an ML.NET change cannot silently change the detector.
    /// </summary>
    private static void Verify(MLContext context, ITransformer model, SchemaDefinition schema, ScoreModelDocument document, WindowScoreKind kind, List<ScoreRow> rows, int seed)
    {
        var exported = WindowScoreModel.FromDocument(document, kind);
        using var engine = context.Model.CreatePredictionEngine<ScoreRow, ScoreOutput>(model, inputSchemaDefinition: schema);
        var random = new Random(seed ^ 0x7EE5);
        int inputCount = document.Features.Count;
        var probe = new ScoreRow { Features = new float[inputCount] };
        int checks = Math.Min(rows.Count, 500) + 300;
        for (int k = 0; k < checks; k++)
        {
            if (k < Math.Min(rows.Count, 500))
            {
                rows[(int)((long)k * rows.Count / Math.Min(rows.Count, 500))].Features.CopyTo(probe.Features, 0);
            }
            else
            {
                for (int i = 0; i < inputCount; i++)
                {
                    probe.Features[i] = (float)((random.NextDouble() * 2 - 0.5) * Math.Pow(10, random.Next(-1, 3)));
                }
            }

            float expected = engine.Predict(probe).Probability;
            float actual = exported.ScoreInputs(probe.Features);
            if (!(Math.Abs(expected - actual) <= ExportTolerance))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The exported {ScoreFeatures.NameOf(kind)} score ({document.Learner}) gives {actual} where ML.NET gives {expected} (check {k}); not written."));
            }
        }
    }
}
