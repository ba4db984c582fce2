using CrampSense.Detection.Model;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CrampSense.Training;

/// <summary>
/// Copies a trained, Platt-calibrated binary tree model (FastTree or LightGbm) out of ML.NET into the detector's own
/// scoring format (<see cref="ScoreModelDocument"/>), through ML.NET's public tree API (<see cref="RegressionTreeEnsemble"/>,
/// <see cref="PlattCalibrator"/>): no reflection. ML.NET converts LightGbm's trees into the same ensemble type.
/// </summary>
internal static class TreeEnsembleExport
{
    /// <summary>The trees and calibration of <paramref name="transformer"/> with the input names <paramref name="features"/>.</summary>
    /// <exception cref="NotSupportedException">Not a Platt-calibrated FastTree or LightGbm binary model, or a categorical split.</exception>
    public static ScoreModelDocument Export(ITransformer transformer, string learner, IReadOnlyList<ModelFeature> features)
    {
        var last = transformer is TransformerChain<ITransformer> chain ? chain.LastTransformer : transformer;
        (RegressionTreeEnsemble Trees, PlattCalibrator Calibrator) model = last switch
        {
            BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> fastTree
                => (fastTree.Model.SubModel.TrainedTreeEnsemble, fastTree.Model.Calibrator),
            BinaryPredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> lightGbm
                => (lightGbm.Model.SubModel.TrainedTreeEnsemble, lightGbm.Model.Calibrator),
            _ => throw new NotSupportedException($"Cannot export a {last.GetType().Name}: only Platt-calibrated FastTree or LightGbm binary models."),
        };

        var trees = new List<TreeDocument>(model.Trees.Trees.Count);
        for (int t = 0; t < model.Trees.Trees.Count; t++)
        {
            var tree = model.Trees.Trees[t];
            if (tree.CategoricalSplitFlags.Any(flag => flag))
            {
                throw new NotSupportedException($"Tree {t} has a categorical split; the detector's scorer reads numerical splits only.");
            }

            trees.Add(new TreeDocument
            {
                Weight = model.Trees.TreeWeights[t],
                SplitFeature = [.. tree.NumericalSplitFeatureIndexes],
                Threshold = [.. tree.NumericalSplitThresholds],
                Left = [.. tree.LeftChild],
                Right = [.. tree.RightChild],
                Leaves = [.. tree.LeafValues],
            });
        }

        return new ScoreModelDocument
        {
            Learner = learner,
            Features = features.Select(f => f.ToString()).ToArray(),
            Bias = model.Trees.Bias,
            PlattSlope = model.Calibrator.Slope,
            PlattOffset = model.Calibrator.Offset,
            Trees = trees,
        };
    }
}
