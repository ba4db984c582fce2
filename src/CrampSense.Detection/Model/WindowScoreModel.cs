using System.Globalization;
using System.Runtime.CompilerServices;
using CrampSense.Signals;

namespace CrampSense.Detection.Model;

/// <summary>
/// One score's model ready to score: its inputs gathered from the full <see cref="ModelFeature"/> vector into a reused
/// buffer, then a Platt-calibrated tree ensemble flattened into arrays. Allocates nothing per call.
/// </summary>
/// <remarks>
/// Why our own scorer: ML.NET's <c>PredictionEngine.Predict</c> allocates about 1.8 KB per call even with reused input
/// and output objects (measured 2026-11-26), which at 20 windows per second and site breaks the hot path's rule, and
/// loading ML.NET at all would put its assemblies on the Pi. The trees are ML.NET's (CrampSense.Training exports them
/// and checks this scorer against ML.NET's probabilities before it writes a zip). Not thread-safe (the buffer).
/// </remarks>
public sealed class WindowScoreModel
{
    private readonly int[] _inputs;
    private readonly float[] _floors;
    private readonly float[] _gathered;
    private readonly int[] _roots;
    private readonly double[] _weights;
    private readonly int[] _leafBase;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leafValues;
    private readonly double _bias;
    private readonly double _slope;
    private readonly double _offset;

    private WindowScoreModel(WindowScoreKind kind, string learner, int[] inputs, int[] roots, double[] weights, int[] leafBase, int[] feature, float[] threshold, int[] left, int[] right, double[] leafValues, double bias, double slope, double offset)
    {
        Kind = kind;
        Learner = learner;
        _inputs = inputs;
        _floors = Array.ConvertAll(inputs, i => ScoreFeatures.InputFloor((ModelFeature)i));
        _gathered = new float[inputs.Length];
        _roots = roots;
        _weights = weights;
        _leafBase = leafBase;
        _feature = feature;
        _threshold = threshold;
        _left = left;
        _right = right;
        _leafValues = leafValues;
        _bias = bias;
        _slope = slope;
        _offset = offset;
    }

    /// <summary>Which score.</summary>
    public WindowScoreKind Kind { get; }

    /// <summary>The learner that grew the trees.</summary>
    public string Learner { get; }

    /// <summary>Number of trees.</summary>
    public int TreeCount => _roots.Length;

    /// <summary>The inputs this model reads, in its own order.</summary>
    public IReadOnlyList<ModelFeature> Inputs => Array.ConvertAll(_inputs, i => (ModelFeature)i);

    /// <summary>
    /// Builds the scorer of <paramref name="kind"/> from <paramref name="document"/>, refusing any input outside the
    /// score's list (<see cref="ScoreFeatures.For"/>) and any tree that points outside its arrays.
    /// </summary>
    /// <exception cref="InvalidDataException">The document does not fit; the message names the score, the tree and the node.</exception>
    public static WindowScoreModel FromDocument(ScoreModelDocument document, WindowScoreKind kind)
    {
        ArgumentNullException.ThrowIfNull(document);
        string score = ScoreFeatures.NameOf(kind);
        var allowed = ScoreFeatures.For(kind);
        var inputs = new int[document.Features.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!Enum.TryParse<ModelFeature>(document.Features[i], ignoreCase: false, out var feature) || !Enum.IsDefined(feature))
            {
                throw new InvalidDataException($"{score} score: unknown input '{document.Features[i]}'.");
            }

            if (!allowed.Contains(feature))
            {
                throw new InvalidDataException($"{score} score: input '{feature}' is not one of its inputs ({string.Join(", ", allowed)}); the scores are kept apart by construction.");
            }

            inputs[i] = (int)feature;
        }

        var trees = document.Trees;
        var roots = new int[trees.Count];
        var leafBase = new int[trees.Count];
        var weights = new double[trees.Count];
        var feature_ = new List<int>();
        var threshold = new List<float>();
        var left = new List<int>();
        var right = new List<int>();
        var leaves = new List<double>();
        for (int t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            int nodes = tree.SplitFeature.Count;
            string where = string.Create(CultureInfo.InvariantCulture, $"{score} score, tree {t}");
            if (tree.Threshold.Count != nodes || tree.Left.Count != nodes || tree.Right.Count != nodes || tree.Leaves.Count != (nodes == 0 ? 1 : nodes + 1))
            {
                throw new InvalidDataException($"{where}: {nodes} nodes need as many thresholds and children and {nodes + 1} leaves.");
            }

            int nodeBase = feature_.Count;
            roots[t] = nodes == 0 ? -1 : nodeBase;
            leafBase[t] = leaves.Count;
            weights[t] = tree.Weight;
            for (int n = 0; n < nodes; n++)
            {
                int f = tree.SplitFeature[n];
                if ((uint)f >= (uint)inputs.Length || !Child(tree.Left[n], nodes) || !Child(tree.Right[n], nodes))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}, node {n}: input {f} or a child ({tree.Left[n]}, {tree.Right[n]}) is out of range."));
                }

                feature_.Add(f);
                threshold.Add(tree.Threshold[n]);

                // Internal children are offset into the flat arrays; leaves stay negative (~leaf index).
                left.Add(tree.Left[n] >= 0 ? nodeBase + tree.Left[n] : tree.Left[n]);
                right.Add(tree.Right[n] >= 0 ? nodeBase + tree.Right[n] : tree.Right[n]);
            }

            leaves.AddRange(tree.Leaves);
        }

        return new WindowScoreModel(kind, document.Learner, inputs, roots, weights, leafBase, [.. feature_], [.. threshold], [.. left], [.. right], [.. leaves], document.Bias, document.PlattSlope, document.PlattOffset);

        static bool Child(int child, int nodes) => child < nodes && ~child <= nodes;
    }

    /// <summary>
    /// The score of one window from its full <see cref="ModelFeature"/> vector: only this model's inputs are read, each
    /// raised to its floor (<see cref="ScoreFeatures.Gather"/>).
    /// </summary>
    public float Score(ReadOnlySpan<float> modelFeatures)
    {
        ScoreFeatures.Gather(modelFeatures, _inputs, _floors, _gathered);
        return ScoreInputs(_gathered);
    }

    /// <summary>The score from this model's own inputs as gathered (<see cref="ScoreFeatures.Gather"/>), in <see cref="Inputs"/> order: what ML.NET's model was trained on.</summary>
    [MethodImpl(HotPath.Compiled)]
    public float ScoreInputs(ReadOnlySpan<float> inputs)
    {
        double score = _bias;
        for (int t = 0; t < _roots.Length; t++)
        {
            int node = _roots[t];
            int leaf = 0;
            while (node >= 0)
            {
                int next = inputs[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
                if (next < 0)
                {
                    leaf = ~next;
                    break;
                }

                node = next;
            }

            score += _weights[t] * _leafValues[_leafBase[t] + leaf];
        }

        // Platt: p = 1 / (1 + exp(slope · score + offset)), as ML.NET's PlattCalibrator.
        return (float)(1.0 / (1.0 + Math.Exp((_slope * score) + _offset)));
    }
}
