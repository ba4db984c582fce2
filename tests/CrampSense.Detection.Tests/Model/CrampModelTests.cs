using System.IO.Compression;
using CrampSense.Detection.Model;
using Xunit;

namespace CrampSense.Detection.Tests.Model;

public sealed class CrampModelTests
{
    [Fact]
    public void Load_ShippedModel_VersionNamesTheZipHash()
    {
        var model = ShippedModel.Load();

        Assert.Matches("^crampsense-detector@[0-9a-f]{12}$", model.Version);
    }

    [Fact]
    public void Load_ShippedModel_EachScoreReadsOnlyItsOwnInputs()
    {
        var model = ShippedModel.Load();

        Assert.All(model.Intent.Inputs, f => Assert.Contains(f, ScoreFeatures.Intent));
        Assert.All(model.Artifact.Inputs, f => Assert.Contains(f, ScoreFeatures.Artifact));
        Assert.True(model.Intent.TreeCount > 0 && model.Artifact.TreeCount > 0);
    }

    /// <summary>
    /// Issue 12 item 1: 200 seeded (41) context vectors; on each, every non-context input is set to 40 random values over
    /// its range (ratios −1…3, Hz 0…500, fractions 0…1): the intent score stays bit for bit the same.
    /// </summary>
    [Fact]
    public void Score_ShapeAndSpectralInputsVaryOnFixedContext_IntentScoreUnchangedBitForBit()
    {
        var model = ShippedModel.Load();
        var random = new Random(41);
        var features = new float[ModelFeatureNames.Count];
        var nonContext = Enum.GetValues<ModelFeature>().Where(f => !ScoreFeatures.Intent.Contains(f)).ToArray();
        int changedArtifact = 0;
        for (int k = 0; k < 200; k++)
        {
            foreach (var f in ScoreFeatures.Intent)
            {
                features[(int)f] = (float)((random.NextDouble() * 4) - 2);
            }

            foreach (var f in nonContext)
            {
                features[(int)f] = RandomValue(random, f);
            }

            var reference = model.Score(features);
            for (int n = 0; n < 40; n++)
            {
                foreach (var f in nonContext)
                {
                    features[(int)f] = RandomValue(random, f);
                }

                var varied = model.Score(features);
                Assert.Equal(BitConverter.SingleToInt32Bits(reference.Intent), BitConverter.SingleToInt32Bits(varied.Intent));
                changedArtifact += varied.Artifact != reference.Artifact ? 1 : 0;
            }
        }

        // The variation is real: the artifact score, which reads these inputs, moves.
        Assert.True(changedArtifact > 0, "the non-context inputs never changed the artifact score");
    }

    [Fact]
    public void Score_AnyInput_GivesScoresBetweenZeroAndOne()
    {
        var model = ShippedModel.Load();
        var random = new Random(5);
        var input = new float[ModelFeatureNames.Count];
        for (int k = 0; k < 50; k++)
        {
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (float)(random.NextDouble() * 4) - 1;
            }

            var scores = model.Score(input);
            Assert.InRange(scores.Intent, 0f, 1f);
            Assert.InRange(scores.Artifact, 0f, 1f);
        }
    }

    [Fact]
    public void Score_WrongLength_ThrowsNamingTheExpectedCount()
    {
        var model = ShippedModel.Load();

        var e = Assert.Throws<ArgumentException>(() => model.Score(new float[3]));
        Assert.Contains(ModelFeatureNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAZip_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => CrampModel.Load("not a model"u8.ToArray()));

    [Fact]
    public void Load_ZipWithoutScoringEntry_ThrowsNamingTheEntry()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = archive.CreateEntry("Model/Schema").Open();
            stream.WriteByte(1);
        }

        var e = Assert.Throws<InvalidDataException>(() => CrampModel.Load(buffer.ToArray()));
        Assert.Contains(CrampModel.ScoringEntryName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_SteadyState_AllocatesNothing()
    {
        var model = ShippedModel.Load();
        long bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var input = new float[ModelFeatureNames.Count];
            for (int k = 0; k < 100; k++)
            {
                model.Score(input);
            }

            return () =>
            {
                for (int k = 0; k < 1000; k++)
                {
                    input[0] = k * 0.001f;
                    input[(int)ModelFeature.LogMotionEnergy] = -k * 0.005f;
                    model.Score(input);
                }
            };
        });

        Assert.Equal(0, bytes);
    }

    private static float RandomValue(Random random, ModelFeature feature) => feature switch
    {
        ModelFeature.MeanFrequency or ModelFeature.MedianFrequency => (float)(random.NextDouble() * 500),
        ModelFeature.ZeroCrossings or ModelFeature.SlopeSignChanges or ModelFeature.WaveformLengthRelative => (float)(random.NextDouble() * 1000),
        ModelFeature.LowBandRatio or ModelFeature.MidBandRatio or ModelFeature.HighBandRatio or ModelFeature.EnvelopeCv => (float)random.NextDouble(),
        ModelFeature.ActiveSeconds => (float)(random.NextDouble() * 10),
        ModelFeature.PercentOfMax => (float)((random.NextDouble() * 150) - 1),
        _ => (float)((random.NextDouble() * 4) - 1),
    };
}
