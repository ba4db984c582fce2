using System.IO.Compression;
using CrampSense.Detection.Model;

namespace CrampSense.Training;

/// <summary>
/// Writes the model zip the detector loads (<see cref="CrampModel.Load(byte[], string?)"/>): the scoring entry
/// (<see cref="CrampModel.ScoringEntryName"/>, both scores' trees) and, beside it for reference, each score's ML.NET
/// model zip (<c>intent.mlnet.zip</c>, <c>artifact.mlnet.zip</c>), which the detector never reads.
/// </summary>
public static class ModelPackage
{
    /// <summary>The zip of <paramref name="intent"/> and <paramref name="artifact"/>.</summary>
    public static byte[] Write(TrainedScore intent, TrainedScore artifact)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(artifact);
        if (intent.Kind != WindowScoreKind.Intent || artifact.Kind != WindowScoreKind.Artifact)
        {
            throw new ArgumentException($"Expected an intent and an artifact score, got {intent.Kind} and {artifact.Kind}.");
        }

        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var stream = Entry(archive, CrampModel.ScoringEntryName).Open())
            {
                new ScoringDocument { Intent = intent.Document, Artifact = artifact.Document }.WriteTo(stream);
            }

            foreach (var score in new[] { intent, artifact })
            {
                using var stream = Entry(archive, ScoreFeatures.NameOf(score.Kind) + ".mlnet.zip").Open();
                stream.Write(score.MlNetZip);
            }
        }

        return buffer.ToArray();
    }

    // A fixed time stamp, so the same trees give the same scoring entry bytes.
    private static ZipArchiveEntry Entry(ZipArchive archive, string name)
    {
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry;
    }
}
