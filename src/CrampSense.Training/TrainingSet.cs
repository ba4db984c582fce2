using CrampSense.Detection;
using CrampSense.Detection.Model;

namespace CrampSense.Training;

/// <summary>
/// Labelled windows for training: model inputs, class, whether the window lies inside activity with a label from
/// truth (what the intent score learns from), and the group (subject) each came from.
/// </summary>
public sealed class TrainingSet
{
    private readonly List<float[]> _features = [];
    private readonly List<ActivityClass> _labels = [];
    private readonly List<bool> _insideActivity = [];
    private readonly List<int> _groups = [];
    private readonly int[] _classCounts = new int[ClassProbabilities.ClassCount];

    /// <summary>Number of windows.</summary>
    public int Count => _labels.Count;

    /// <summary>Windows per class, in <see cref="ActivityClass"/> order.</summary>
    public IReadOnlyList<int> ClassCounts => _classCounts;

    /// <summary>The label of window <paramref name="index"/>.</summary>
    public ActivityClass LabelAt(int index) => _labels[index];

    /// <summary>
    /// True when window <paramref name="index"/> lies inside sustained activity (the activity detector's state) and its
    /// label comes from truth: a candidate for the intent score's voluntary-vs-cramp training.
    /// </summary>
    public bool IsInsideActivity(int index) => _insideActivity[index];

    /// <summary>The group (subject) of window <paramref name="index"/>.</summary>
    public int GroupAt(int index) => _groups[index];

    /// <summary>The model inputs of window <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> FeaturesAt(int index) => _features[index];

    /// <summary>Adds one window (the features are copied).</summary>
    public void Add(ReadOnlySpan<float> features, ActivityClass label, int group, bool insideActivity = false)
    {
        if (features.Length != ModelFeatureNames.Count)
        {
            throw new ArgumentException($"Expected {ModelFeatureNames.Count} model features, got {features.Length}.", nameof(features));
        }

        _features.Add(features.ToArray());
        _labels.Add(label);
        _insideActivity.Add(insideActivity);
        _groups.Add(group);
        _classCounts[(int)label]++;
    }

    /// <summary>
    /// Collects the windows of <paramref name="count"/> recordings in parallel, each into its own part
    /// (<paramref name="collect"/> gets the recording's index and its part), and merges the parts in index order, so
    /// the set, and the model trained on it, does not depend on thread timing. <paramref name="collected"/> is called
    /// (on a worker thread) with each index once its part is done, e.g. for progress.
    /// </summary>
    public static TrainingSet CollectInParallel(int count, Action<int, TrainingSet> collect, Action<int>? collected = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(collect);
        var parts = new TrainingSet[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var part = new TrainingSet();
            collect(i, part);
            parts[i] = part;
            collected?.Invoke(i);
        });

        var set = new TrainingSet();
        foreach (var part in parts)
        {
            set.AddRange(part);
        }

        return set;
    }

    /// <summary>Adds every window of <paramref name="other"/> (thread-safe merging is the caller's job).</summary>
    public void AddRange(TrainingSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < other.Count; i++)
        {
            _features.Add(other._features[i]);
            _labels.Add(other._labels[i]);
            _insideActivity.Add(other._insideActivity[i]);
            _groups.Add(other._groups[i]);
            _classCounts[(int)other._labels[i]]++;
        }
    }
}
