using System.IO.Compression;
using CrampSense.Detection.Model;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace CrampSense.Training.Tests;

public sealed class ModelPackageTests
{
    private sealed class Row
    {
        public bool Label { get; set; }

        public float Weight { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }

    /// <summary>
    /// The detector's loader (no ML.NET) on the package gives ML.NET's own probabilities from the ML.NET models packed
    /// beside the scoring entry, on 300 seeded (17) random windows, for both scores.
    /// </summary>
    [Fact]
    public void Write_LoadedByTheDetector_ScoresAsMlNetsOwnModels()
    {
        var set = ScoreTrainerTests.Separable(120, 7);
        var intent = ScoreTrainer.Train(set, WindowScoreKind.Intent, ScoreLearner.FastTree, seed: 3, trees: 12);
        var artifact = ScoreTrainer.Train(set, WindowScoreKind.Artifact, ScoreLearner.LightGbm, seed: 3, trees: 12);

        byte[] zip = ModelPackage.Write(intent, artifact);
        var model = CrampModel.Load(zip, "package");

        var context = new MLContext(0);
        var random = new Random(17);
        var features = new float[ModelFeatureNames.Count];
        foreach (var (kind, score) in new[] { (WindowScoreKind.Intent, model.Intent), (WindowScoreKind.Artifact, model.Artifact) })
        {
            var inputs = ScoreFeatures.For(kind);
            var schema = SchemaDefinition.Create(typeof(Row));
            schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, inputs.Count);
            using var entry = new MemoryStream();
            using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            using (var stream = archive.GetEntry(ScoreFeatures.NameOf(kind) + ".mlnet.zip")!.Open())
            {
                stream.CopyTo(entry);
            }

            entry.Position = 0;
            var transformer = context.Model.Load(entry, out _);
            using var engine = context.Model.CreatePredictionEngine<Row, Prediction>(transformer, inputSchemaDefinition: schema);
            for (int k = 0; k < 300; k++)
            {
                for (int i = 0; i < features.Length; i++)
                {
                    features[i] = (float)((random.NextDouble() * 200) - 50);
                }

                // ML.NET's model was trained on the inputs as gathered: each raised to its floor.
                float expected = engine.Predict(new Row { Features = inputs.Select(f => Math.Max(features[(int)f], ScoreFeatures.InputFloor(f))).ToArray() }).Probability;
                Assert.Equal(expected, score.Score(features), 1e-4f);
            }
        }
    }

    [Fact]
    public void Write_ScoresSwapped_Throws()
    {
        var set = ScoreTrainerTests.Separable(60, 8);
        var intent = ScoreTrainer.Train(set, WindowScoreKind.Intent, ScoreLearner.FastTree, seed: 1, trees: 4);

        Assert.Throws<ArgumentException>(() => ModelPackage.Write(intent, intent));
    }
}
