using System.Diagnostics;
using CrampSense.Detection.Model;

namespace CrampSense.Training;

/// <summary>One learner's model of one score and how it did on each validation set.</summary>
/// <param name="Trained">The model.</param>
/// <param name="TrainSeconds">Training time (export check included), s.</param>
/// <param name="Validation">Quality per validation set, by the set's name.</param>
public sealed record ScoreCandidate(TrainedScore Trained, double TrainSeconds, IReadOnlyDictionary<string, ScoreQuality> Validation);

/// <summary>What <see cref="WindowModelTraining.Run"/> produced.</summary>
/// <param name="Candidates">Every learner's model of every score.</param>
/// <param name="Intent">The chosen intent model.</param>
/// <param name="Artifact">The chosen artifact model.</param>
/// <param name="Zip">The model zip of the chosen pair (<see cref="ModelPackage"/>).</param>
public sealed record WindowModelTrainingResult(IReadOnlyList<ScoreCandidate> Candidates, ScoreCandidate Intent, ScoreCandidate Artifact, byte[] Zip);

/// <summary>
/// The model policy of <c>crampsense train</c>: each score is trained with each learner on the training windows,
/// measured on every validation set (window-level AUC and balanced accuracy), and the learner with the highest mean
/// AUC over the validation sets named for selection is kept (ties: the earlier learner). The other validation sets
/// are measured only, so a set held out for a leave-one-generator-out test never chooses the model.
/// </summary>
public static class WindowModelTraining
{
    /// <summary>Trains, measures, chooses and packages.</summary>
    /// <param name="training">Training windows.</param>
    /// <param name="validation">Validation windows by set name (e.g. per simulation engine).</param>
    /// <param name="selectOn">The validation sets that choose the learner (at least one, all in <paramref name="validation"/>).</param>
    /// <param name="learners">Learners to compare (at least one).</param>
    /// <param name="seed">Seed of training.</param>
    /// <param name="trees">Boosting iterations per score.</param>
    public static WindowModelTrainingResult Run(
        TrainingSet training,
        IReadOnlyDictionary<string, TrainingSet> validation,
        IReadOnlyCollection<string> selectOn,
        IReadOnlyList<ScoreLearner> learners,
        int seed,
        int trees)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(selectOn);
        ArgumentNullException.ThrowIfNull(learners);
        if (learners.Count == 0 || selectOn.Count == 0)
        {
            throw new ArgumentException("At least one learner and one selection set are needed.");
        }

        var unknown = selectOn.Where(name => !validation.ContainsKey(name)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Selection set(s) {string.Join(", ", unknown)} are not among the validation sets ({string.Join(", ", validation.Keys)}).", nameof(selectOn));
        }

        var candidates = new List<ScoreCandidate>();
        foreach (var kind in new[] { WindowScoreKind.Intent, WindowScoreKind.Artifact })
        {
            foreach (var learner in learners)
            {
                var watch = Stopwatch.StartNew();
                var trained = ScoreTrainer.Train(training, kind, learner, seed, trees);
                double seconds = watch.Elapsed.TotalSeconds;
                var model = WindowScoreModel.FromDocument(trained.Document, kind);
                var quality = validation.ToDictionary(v => v.Key, v => ScoreTrainer.Evaluate(model, v.Value), StringComparer.Ordinal);
                candidates.Add(new ScoreCandidate(trained, seconds, quality));
            }
        }

        ScoreCandidate Best(WindowScoreKind kind) => candidates
            .Where(c => c.Trained.Kind == kind)
            .Select((c, order) => (c, order, auc: selectOn.Select(name => c.Validation[name].Auc).Where(double.IsFinite).DefaultIfEmpty(0).Average()))
            .OrderByDescending(x => x.auc)
            .ThenBy(x => x.order)
            .First().c;

        var intent = Best(WindowScoreKind.Intent);
        var artifact = Best(WindowScoreKind.Artifact);
        return new WindowModelTrainingResult(candidates, intent, artifact, ModelPackage.Write(intent.Trained, artifact.Trained));
    }
}
