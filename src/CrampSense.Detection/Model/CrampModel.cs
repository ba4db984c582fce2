using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;

namespace CrampSense.Detection.Model;

/// <summary>
/// The trained window model (an ML.NET zip): scores one window's <see cref="ModelFeature"/> vector into
/// <see cref="ClassProbabilities"/>. Loads from a stream, so the caller decides where the zip comes from (a file,
/// an embedded resource). Scoring uses only managed code, so it runs on linux-arm64.
/// </summary>
/// <remarks>
/// Not thread-safe: ML.NET's <c>PredictionEngine</c> keeps per-call state, and the input and output buffers are
/// reused for every window. Use one instance per thread (<see cref="Load(byte[], string?)"/> on the same bytes).
/// </remarks>
public sealed class CrampModel : IDisposable
{
    private readonly PredictionEngine<WindowInput, WindowScore> _engine;
    private readonly WindowInput _input = new();
    private readonly float[] _compiledScores = new float[ClassProbabilities.ClassCount];
    private WindowScore _output = new();
    private CompiledTreeModel? _compiled;

    private CrampModel(PredictionEngine<WindowInput, WindowScore> engine, string version)
    {
        _engine = engine;
        Version = version;
    }

    /// <summary>Model version for events: <c>name@</c> and the first 12 hex digits of the zip's SHA-256.</summary>
    public string Version { get; }

    /// <summary>Loads a model zip from <paramref name="zip"/> (read to the end; not closed).</summary>
    /// <param name="zip">The ML.NET model zip.</param>
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
        var context = new MLContext(seed: 0);
        ITransformer transformer;
        try
        {
            using var stream = new MemoryStream(zip, writable: false);
            transformer = context.Model.Load(stream, out _);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException or ArgumentException or IOException or NotSupportedException)
        {
            throw new InvalidDataException($"Not an ML.NET model zip: {e.Message}", e);
        }

        PredictionEngine<WindowInput, WindowScore> engine;
        try
        {
            engine = context.Model.CreatePredictionEngine<WindowInput, WindowScore>(transformer);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException(
                $"The model does not fit the detector: it must take a {ModelFeatureNames.Count}-value 'Features' vector and give {ClassProbabilities.ClassCount} class scores ({e.Message}).",
                e);
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(zip))[..12];
        var model = new CrampModel(engine, string.Create(CultureInfo.InvariantCulture, $"{name ?? "crampsense-detector"}@{hash}"));
        model.Score(new float[ModelFeatureNames.Count]);
        model.UseCompiledWhenEquivalent(CompiledTreeModel.TryCompile(transformer));
        return model;
    }

    /// <summary>
    /// True when windows are scored by the allocation-free copy of the tree ensemble (<see cref="CompiledTreeModel"/>),
    /// which reproduced ML.NET's probabilities on test vectors at load time; false when ML.NET's engine scores them.
    /// </summary>
    public bool IsCompiled => _compiled is not null;

    /// <summary>Class probabilities of one window; <paramref name="features"/> is in <see cref="ModelFeature"/> order.</summary>
    public ClassProbabilities Score(ReadOnlySpan<float> features)
    {
        if (features.Length != ModelFeatureNames.Count)
        {
            throw new ArgumentException($"Expected {ModelFeatureNames.Count} model features, got {features.Length}.", nameof(features));
        }

        if (_compiled is not null)
        {
            _compiled.Score(features, _compiledScores);
            return ClassProbabilities.FromScores(_compiledScores);
        }

        return ScoreWithEngine(features);
    }

    /// <summary>Scores with ML.NET's prediction engine (allocates inside ML.NET).</summary>
    internal ClassProbabilities ScoreWithEngine(ReadOnlySpan<float> features)
    {
        features.CopyTo(_input.Features);
        _engine.Predict(_input, ref _output);
        var score = _output.Score;
        if (score.Length != ClassProbabilities.ClassCount)
        {
            throw new InvalidDataException($"The model gave {score.Length} class scores; the detector needs {ClassProbabilities.ClassCount} (rest, voluntary, cramp, artifact).");
        }

        return ClassProbabilities.FromScores(score);
    }

    /// <summary>Switches to <paramref name="compiled"/> only if it gives the engine's probabilities (±1e-4) on fixed test vectors.</summary>
    private void UseCompiledWhenEquivalent(CompiledTreeModel? compiled)
    {
        if (compiled is null || compiled.ClassCount != ClassProbabilities.ClassCount)
        {
            return;
        }

        var random = new Random(12345);
        var features = new float[ModelFeatureNames.Count];
        Span<float> mine = stackalloc float[ClassProbabilities.ClassCount];
        for (int k = 0; k < 300; k++)
        {
            for (int i = 0; i < features.Length; i++)
            {
                // Spread over the ranges the inputs take (ratios, seconds, Hz, degrees), zero on the first vector.
                features[i] = k == 0 ? 0f : (float)((random.NextDouble() * 2 - 0.5) * Math.Pow(10, random.Next(-1, 3)));
            }

            var engine = ScoreWithEngine(features);
            compiled.Score(features, mine);
            if (Math.Abs(engine.Rest - mine[0]) > 1e-4 || Math.Abs(engine.Voluntary - mine[1]) > 1e-4
                || Math.Abs(engine.Cramp - mine[2]) > 1e-4 || Math.Abs(engine.Artifact - mine[3]) > 1e-4)
            {
                return;
            }
        }

        _compiled = compiled;
    }


    /// <summary>Releases the prediction engine.</summary>
    public void Dispose() => _engine.Dispose();
}
