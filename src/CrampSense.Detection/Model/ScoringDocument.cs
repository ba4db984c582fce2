using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrampSense.Detection.Model;

/// <summary>
/// The scoring entry of a model zip (<see cref="CrampModel.ScoringEntryName"/>): both scores' boosted-tree ensembles,
/// copied out of the trained ML.NET models by CrampSense.Training and checked there against ML.NET's own probabilities.
/// Our own small format, so the detector scores without ML.NET (and the Pi ships no ML.NET assembly).
/// </summary>
public sealed record ScoringDocument
{
    /// <summary>The format this code reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format version; only <see cref="CurrentFormat"/> is read.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The intent score's model.</summary>
    public required ScoreModelDocument Intent { get; init; }

    /// <summary>The artifact score's model.</summary>
    public required ScoreModelDocument Artifact { get; init; }

    /// <summary>Writes the document as UTF-8 JSON.</summary>
    public void WriteTo(Stream stream) => JsonSerializer.Serialize(stream, this, ScoringJsonContext.Default.ScoringDocument);

    /// <summary>Reads a document written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="InvalidDataException">Not such a document; the message says why.</exception>
    public static ScoringDocument ReadFrom(Stream stream)
    {
        try
        {
            var document = JsonSerializer.Deserialize(stream, ScoringJsonContext.Default.ScoringDocument)
                ?? throw new InvalidDataException($"{CrampModel.ScoringEntryName}: empty document.");
            if (document.Format != CurrentFormat)
            {
                throw new InvalidDataException($"{CrampModel.ScoringEntryName}: format {document.Format}; this detector reads format {CurrentFormat}.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{CrampModel.ScoringEntryName}: {e.Message}", e);
        }
    }
}

/// <summary>One score's model: a Platt-calibrated sum of regression trees over its own inputs.</summary>
public sealed record ScoreModelDocument
{
    /// <summary>The learner that grew the trees (for reports).</summary>
    public required string Learner { get; init; }

    /// <summary>The inputs, by <see cref="ModelFeature"/> name; a tree's split feature i is <c>Features[i]</c>.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Constant added to the trees' sum.</summary>
    public double Bias { get; init; }

    /// <summary>Platt calibration: p = 1 / (1 + exp(<see cref="PlattSlope"/> · score + <see cref="PlattOffset"/>)).</summary>
    public double PlattSlope { get; init; }

    /// <summary>Platt calibration offset.</summary>
    public double PlattOffset { get; init; }

    /// <summary>The trees.</summary>
    public required IReadOnlyList<TreeDocument> Trees { get; init; }
}

/// <summary>
/// One regression tree in ML.NET's layout: node n goes left when <c>input[SplitFeature[n]] ≤ Threshold[n]</c>; a child
/// ≥ 0 is a node, a negative child c is leaf ~c.
/// </summary>
public sealed record TreeDocument
{
    /// <summary>Weight of the tree in the sum.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>Split input per node (index into the model's <see cref="ScoreModelDocument.Features"/>).</summary>
    public required IReadOnlyList<int> SplitFeature { get; init; }

    /// <summary>Split threshold per node.</summary>
    public required IReadOnlyList<float> Threshold { get; init; }

    /// <summary>Left child per node.</summary>
    public required IReadOnlyList<int> Left { get; init; }

    /// <summary>Right child per node.</summary>
    public required IReadOnlyList<int> Right { get; init; }

    /// <summary>Leaf values (one leaf and no node: a constant tree).</summary>
    public required IReadOnlyList<double> Leaves { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ScoringDocument))]
internal sealed partial class ScoringJsonContext : JsonSerializerContext;
