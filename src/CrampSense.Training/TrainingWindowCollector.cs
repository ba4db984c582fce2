using CrampSense.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Detection.Model;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;

namespace CrampSense.Training;

/// <summary>How a <see cref="TrainingWindowCollector"/> picks and labels windows.</summary>
public sealed record TrainingCollectorOptions
{
    /// <summary>Share of rest windows kept (rest is by far the most common class). Default 0.15.</summary>
    public double RestKeepFraction { get; init; } = 0.15;

    /// <summary>
    /// Share of voluntary windows kept. Default 0.5: walking, running and cycling bouts label every window of
    /// every site voluntary, which would otherwise make most of the set.
    /// </summary>
    public double VoluntaryKeepFraction { get; init; } = 0.5;

    /// <summary>
    /// For recordings without labels of their own (real recordings of healthy people): label windows by their
    /// activity (active → voluntary, quiet → rest) instead of by truth intervals. Windows of a run of activity
    /// longer than <see cref="SustainedSeconds"/> are left out: without context such a contraction is, by the design
    /// rule, a cramp candidate, so it is no clean negative.
    /// </summary>
    public bool LabelByActivity { get; init; }

    /// <summary>Activity runs from this long on are left out when <see cref="LabelByActivity"/>. Default 4.5 s.</summary>
    public double SustainedSeconds { get; init; } = 4.5;

    /// <summary>Seed of the rest-window sampling.</summary>
    public int Seed { get; init; }

    /// <summary>Personal profile to compute the inputs with (e.g. one derived from a simulated subject).</summary>
    public PersonalProfile? Profile { get; init; }

    /// <summary>The signal pipeline's settings.</summary>
    public FeatureExtractorOptions Features { get; init; } = FeatureExtractorOptions.Default;

    /// <summary>
    /// Real healthy recordings as negatives: labelled by their activity (muscle for the artifact score; no intent
    /// examples, they have no context), thinned harder than simulated subjects (10 % of rest, 25 % of voluntary
    /// windows) so that a few long files do not outweigh them.
    /// </summary>
    public static TrainingCollectorOptions RealNegatives(int seed) => new() { RestKeepFraction = 0.1, VoluntaryKeepFraction = 0.25, LabelByActivity = true, Seed = seed };

    /// <summary>The user's own labelled recordings (<c>crampsense train --data</c>): every voluntary window, half the rest.</summary>
    public static TrainingCollectorOptions Labelled { get; } = new() { RestKeepFraction = 0.5, VoluntaryKeepFraction = 1 };
}

/// <summary>
/// Runs one recording through the same signal pipeline and model-input builder as the detector and adds its
/// labelled windows to a <see cref="TrainingSet"/>, marking those inside sustained activity (the activity detector's state). Faulty windows are left out (the state machine never scores
/// them), as are ambiguous ones (<see cref="WindowLabels"/>).
/// </summary>
public sealed class TrainingWindowCollector
{
    private static readonly float LogActive = (float)Math.Log10(ModelFeatureBuilder.ActiveRatio);
    private static readonly float LogQuiet = (float)Math.Log10(2.0);

    private readonly EmgFeatureExtractor _extractor;
    private readonly FeatureFrame _features;
    private readonly ModelFeatureBuilder _builder;
    private readonly TrainingSet _set;
    private readonly int _group;
    private readonly TrainingCollectorOptions _options;
    private readonly IReadOnlyList<TruthInterval>[] _truth;
    private readonly Random _random;
    private readonly double _windowSeconds;

    /// <summary>Creates a collector for one recording.</summary>
    public TrainingWindowCollector(RecordingLayout layout, IReadOnlyList<TruthInterval> truth, TrainingSet set, int group, TrainingCollectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(set);
        _options = options ?? new TrainingCollectorOptions();
        _extractor = new EmgFeatureExtractor(layout, _options.Features);
        _features = _extractor.CreateFrame();
        _builder = new ModelFeatureBuilder(layout, _options.Features.HopSeconds, _options.Profile);
        _set = set;
        _group = group;
        _truth = new IReadOnlyList<TruthInterval>[layout.Sites.Count];
        for (int s = 0; s < _truth.Length; s++)
        {
            string site = layout.Sites[s];
            _truth[s] = truth.Where(t => t.Site == site).OrderBy(t => t.StartSeconds).ToArray();
        }

        _random = new Random(_options.Seed);
        _windowSeconds = _extractor.WindowLength / layout.SampleRateHz;
    }

    /// <summary>Windows added so far.</summary>
    public int Added { get; private set; }

    /// <summary>Processes one row.</summary>
    public void Process(RecordingFrame frame)
    {
        _builder.OnRow(frame);
        if (!_extractor.Process(frame, _features))
        {
            return;
        }

        _builder.Compute(_features);
        double end = _features.TimeSeconds;
        for (int s = 0; s < _truth.Length; s++)
        {
            if (_features.Quality(s) != SignalQuality.None)
            {
                continue;
            }

            var inputs = _builder.Site(s);
            ActivityClass? label = WindowLabels.Label(_truth[s], end - _windowSeconds, end);
            if (_options.LabelByActivity && inputs[(int)ModelFeature.ActiveSeconds] >= _options.SustainedSeconds)
            {
                label = null;
            }
            else if (_options.LabelByActivity && label is ActivityClass.Rest)
            {
                float ratio = inputs[(int)ModelFeature.LogRatio];
                if (ratio >= LogActive)
                {
                    label = ActivityClass.Voluntary;
                }
                else if (ratio >= LogQuiet)
                {
                    label = null;
                }
            }

            if (label is not { } known)
            {
                continue;
            }

            double keep = known switch
            {
                ActivityClass.Rest => _options.RestKeepFraction,
                ActivityClass.Voluntary => _options.VoluntaryKeepFraction,
                _ => 1.0,
            };
            if (keep < 1 && _random.NextDouble() >= keep)
            {
                continue;
            }

            // Activity-labelled windows (real recordings without labels of their own) say nothing about intent.
            bool insideActivity = !_options.LabelByActivity && _features.Activity(s).IsActive;
            _set.Add(inputs, known, _group, insideActivity);
            Added++;
        }
    }
}
