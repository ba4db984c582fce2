using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace CrampSense.Detection.Model;

/// <summary>
/// A one-versus-all FastTree model copied out of ML.NET into flat arrays and scored without allocating.
/// </summary>
/// <remarks>
/// Why our own scorer: ML.NET's <c>PredictionEngine.Predict</c> allocates about 1.8 KB per call even with reused
/// input and output objects (measured; <c>CrampModelTests</c>), which at 20 windows per second and site breaks the
/// hot path's "nothing allocated in steady state" rule. The ensemble is read through ML.NET's public tree API
/// (<see cref="RegressionTree"/>, <see cref="PlattCalibrator"/>); only the list of one-versus-all sub-models and
/// their output formula are internal, read by reflection. <see cref="CrampModel"/> uses this scorer only after it
/// has reproduced the engine's probabilities on test vectors, and falls back to the engine otherwise, so an ML.NET
/// change cannot silently change the detector.
/// </remarks>
internal sealed class CompiledTreeModel
{
    private readonly ClassModel[] _classes;
    private readonly bool _normalize;

    private CompiledTreeModel(ClassModel[] classes, bool normalize)
    {
        _classes = classes;
        _normalize = normalize;
    }

    /// <summary>Compiles <paramref name="transformer"/> when it is a one-versus-all FastTree model with Platt calibration; else null.</summary>
    public static CompiledTreeModel? TryCompile(ITransformer transformer)
    {
        var last = transformer is TransformerChain<ITransformer> chain ? chain.LastTransformer : transformer;
        if (last is not MulticlassPredictionTransformer<OneVersusAllModelParameters> prediction)
        {
            return null;
        }

        const BindingFlags Any = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        object? implementation = typeof(OneVersusAllModelParameters).GetField("_impl", Any)?.GetValue(prediction.Model);
        if (implementation?.GetType().GetProperty("Predictors", Any)?.GetValue(implementation) is not Array predictors
            || implementation.GetType().GetField("OutputFormula", Any)?.GetValue(implementation) is not { } formula)
        {
            return null;
        }

        string formulaName = formula.ToString() ?? string.Empty;
        if (formulaName is not ("ProbabilityNormalization" or "Raw"))
        {
            return null;
        }

        var classes = new ClassModel[predictors.Length];
        for (int k = 0; k < classes.Length; k++)
        {
            if (predictors.GetValue(k) is not CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> calibrated)
            {
                return null;
            }

            var compiled = ClassModel.TryCompile(calibrated.SubModel.TrainedTreeEnsemble, calibrated.Calibrator);
            if (compiled is null)
            {
                return null;
            }

            classes[k] = compiled;
        }

        return new CompiledTreeModel(classes, formulaName == "ProbabilityNormalization");
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount => _classes.Length;

    /// <summary>Writes one probability per class into <paramref name="probabilities"/>.</summary>
    public void Score(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        float sum = 0;
        for (int k = 0; k < _classes.Length; k++)
        {
            float p = _classes[k].Probability(features);
            probabilities[k] = p;
            sum += p;
        }

        if (_normalize && sum > 0)
        {
            for (int k = 0; k < _classes.Length; k++)
            {
                probabilities[k] /= sum;
            }
        }
    }

    /// <summary>The trees of one class, flattened: node arrays concatenated, a tree's root at <see cref="_roots"/>.</summary>
    private sealed class ClassModel
    {
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

        private ClassModel(int[] roots, double[] weights, int[] leafBase, int[] feature, float[] threshold, int[] left, int[] right, double[] leafValues, double bias, double slope, double offset)
        {
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

        public static ClassModel? TryCompile(RegressionTreeEnsemble ensemble, PlattCalibrator calibrator)
        {
            var trees = ensemble.Trees;
            var roots = new int[trees.Count];
            var leafBase = new int[trees.Count];
            var weights = ensemble.TreeWeights.ToArray();
            var feature = new List<int>();
            var threshold = new List<float>();
            var left = new List<int>();
            var right = new List<int>();
            var leaves = new List<double>();
            for (int t = 0; t < trees.Count; t++)
            {
                var tree = trees[t];
                if (tree.CategoricalSplitFlags.Any(flag => flag))
                {
                    return null;
                }

                int nodeBase = feature.Count;
                roots[t] = tree.NumberOfNodes == 0 ? -1 : nodeBase;
                leafBase[t] = leaves.Count;
                for (int n = 0; n < tree.NumberOfNodes; n++)
                {
                    feature.Add(tree.NumericalSplitFeatureIndexes[n]);
                    threshold.Add(tree.NumericalSplitThresholds[n]);

                    // Internal children are offset into the flat arrays; leaves stay negative (~leaf index).
                    left.Add(tree.LeftChild[n] >= 0 ? nodeBase + tree.LeftChild[n] : tree.LeftChild[n]);
                    right.Add(tree.RightChild[n] >= 0 ? nodeBase + tree.RightChild[n] : tree.RightChild[n]);
                }

                leaves.AddRange(tree.LeafValues);
            }

            return new ClassModel(roots, weights, leafBase, [.. feature], [.. threshold], [.. left], [.. right], [.. leaves], ensemble.Bias, calibrator.Slope, calibrator.Offset);
        }

        public float Probability(ReadOnlySpan<float> features)
        {
            double score = _bias;
            for (int t = 0; t < _roots.Length; t++)
            {
                int node = _roots[t];
                int leaf;
                if (node < 0)
                {
                    leaf = 0;
                }
                else
                {
                    while (true)
                    {
                        int next = features[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
                        if (next < 0)
                        {
                            leaf = ~next;
                            break;
                        }

                        node = next;
                    }
                }

                score += _weights[t] * _leafValues[_leafBase[t] + leaf];
            }

            // Platt: p = 1 / (1 + exp(slope · score + offset)), as ML.NET's PlattCalibrator.
            return (float)(1.0 / (1.0 + Math.Exp((_slope * score) + _offset)));
        }
    }
}
