using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;

namespace CrampSense.Detection.Model;

/// <summary>
/// The trained window model: an intent score from context inputs and an artifact score from shape and spectral inputs
/// (<see cref="WindowScores"/>, <see cref="ScoreFeatures"/>), each its own tree ensemble, read from the scoring entry
/// of a model zip (<see cref="ScoringEntryName"/>, written by CrampSense.Training). Scored by managed code without
/// ML.NET and without allocating, so it runs on linux-arm64 and the Pi ships no training library. Loads from a stream
/// or bytes, so the caller decides where the zip comes from (a file, an embedded resource).
/// </summary>
/// <remarks>Not thread-safe (each score gathers its inputs into a reused buffer): use one instance per thread.</remarks>
public sealed class CrampModel : IWindowScorer
{
    /// <summary>The zip entry holding the <see cref="ScoringDocument"/>.</summary>
    public const string ScoringEntryName = "crampsense-scores.json";

    private CrampModel(WindowScoreModel intent, WindowScoreModel artifact, string version)
    {
        Intent = intent;
        Artifact = artifact;
        Version = version;
    }

    /// <inheritdoc/>
    public string Version { get; }

    /// <summary>The intent score's model (context inputs only).</summary>
    public WindowScoreModel Intent { get; }

    /// <summary>The artifact score's model (shape and spectral inputs only).</summary>
    public WindowScoreModel Artifact { get; }

    /// <summary>Loads a model zip from <paramref name="zip"/> (read to the end; not closed).</summary>
    /// <param name="zip">The model zip.</param>
    /// <param name="name">Name used in <see cref="Version"/>; default <c>crampsense-detector</c>.</param>
    /// <exception cref="InvalidDataException">The stream is not a CrampSense window model; the message says why.</exception>
    public static CrampModel Load(Stream zip, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(zip);
        using var buffer = new MemoryStream();
        zip.CopyTo(buffer);
        return Load(buffer.ToArray(), name);
    }

    /// <summary>Loads a model zip held in memory.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a CrampSense window model; the message says why.</exception>
    public static CrampModel Load(byte[] zip, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ScoringDocument document;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
            var entry = archive.GetEntry(ScoringEntryName)
                ?? throw new InvalidDataException($"The model zip has no '{ScoringEntryName}' entry: not a CrampSense two-score model (retrain with `crampsense train`).");
            using var stream = entry.Open();
            document = ScoringDocument.ReadFrom(stream);
        }
        catch (Exception e) when (e is not InvalidDataException and (IOException or NotSupportedException or ArgumentException))
        {
            throw new InvalidDataException($"Not a model zip: {e.Message}", e);
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(zip))[..12];
        return FromDocument(document, string.Create(CultureInfo.InvariantCulture, $"{name ?? "crampsense-detector"}@{hash}"));
    }

    /// <summary>A model from a scoring document (training checks its export with this before writing a zip).</summary>
    /// <exception cref="InvalidDataException">The document does not fit the detector; the message names the score.</exception>
    public static CrampModel FromDocument(ScoringDocument document, string version)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrEmpty(version);
        return new CrampModel(
            WindowScoreModel.FromDocument(document.Intent, WindowScoreKind.Intent),
            WindowScoreModel.FromDocument(document.Artifact, WindowScoreKind.Artifact),
            version);
    }

    /// <inheritdoc/>
    public WindowScores Score(ReadOnlySpan<float> features)
    {
        if (features.Length != ModelFeatureNames.Count)
        {
            throw new ArgumentException($"Expected {ModelFeatureNames.Count} model features, got {features.Length}.", nameof(features));
        }

        return new WindowScores(Intent.Score(features), Artifact.Score(features));
    }
}
