using CrampSense.Detection;
using CrampSense.Detection.Evaluation;
using CrampSense.Detection.Model;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Detection;

/// <summary>Runs a whole recording through a <see cref="CrampDetector"/> and keeps its events.</summary>
internal static class DetectorRunner
{
    /// <summary>The result of one run: every event, the recording's length and row count.</summary>
    public sealed record Result(string Name, RecordingLayout Layout, IReadOnlyList<TruthInterval> Truth, IReadOnlyList<CrampEvent> Events, double DurationSeconds, long Rows);

    /// <summary>Runs <paramref name="source"/> to its end; events also go to <paramref name="forward"/> when given.</summary>
    public static Result Run(RecordingSource source, IWindowScorer model, CrampDetectorOptions? options = null, ICrampEventSink? forward = null, Action<long>? onRows = null, TextWriter? windows = null, Action<CrampDetector>? onWindow = null)
    {
        var sink = new CollectingSink(forward);

        // The window rows show every window's probabilities; without them quiet rest windows are scored less often.
        if (windows is not null)
        {
            options = (options ?? new CrampDetectorOptions()) with { ScoreEveryWindow = true };
        }

        var detector = new CrampDetector(source.Layout, model, sink, options);
        var frame = source.Layout.CreateFrame();
        long rows = 0;
        if (windows is not null)
        {
            windows.WriteLine("t_s,site,intent_score,artifact_score,p_rest,p_voluntary,p_cramp,p_artifact,envelope_uv,floor_uv,hum_uv,faults,saturated,motion_context,active,activity_onset_s,intent," + string.Join(',', ModelFeatureNames.All));
        }

        while (source.TryReadFrame(frame))
        {
            if (detector.Process(frame))
            {
                if (windows is not null)
                {
                    WriteWindows(windows, detector);
                }

                onWindow?.Invoke(detector);
            }

            rows++;
            if (onRows is not null && (rows & 0xFFFF) == 0)
            {
                onRows(rows);
            }
        }

        double duration = rows == 0 ? 0 : detector.LastRowSeconds + (1.0 / source.Layout.SampleRateHz);
        detector.Flush(duration);
        return new Result(source.Name, source.Layout, source.Truth, sink.Events, duration, rows);
    }

    private static void WriteWindows(TextWriter writer, CrampDetector detector)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var assessments = detector.Assessments;
        for (int s = 0; s < assessments.Length; s++)
        {
            var a = assessments[s];
            var p = a.Probabilities;
            writer.Write(string.Create(c, $"{a.EndSeconds:0.###},{detector.Layout.Sites[s]},{a.Scores.Intent:0.####},{a.Scores.Artifact:0.####},{p.Rest:0.####},{p.Voluntary:0.####},{p.Cramp:0.####},{p.Artifact:0.####},{a.EnvelopeMicrovolts:0.###},{a.RestFloorMicrovolts:0.###},{a.HumMicrovolts:0.###},{(int)a.Faults},{(a.Saturated ? 1 : 0)},{(a.HasMotionContext ? 1 : 0)},{(a.IsActive ? 1 : 0)},{(double.IsFinite(a.ActivityOnsetSeconds) ? a.ActivityOnsetSeconds.ToString("0.###", c) : string.Empty)},{(int)a.Intent}"));
            foreach (var value in detector.ModelInputs.Site(s))
            {
                writer.Write(',');
                writer.Write(value.ToString("0.####", c));
            }

            writer.WriteLine();
        }
    }

    /// <summary>The evaluation input of a run (scenario kind from the recording's <c>scenario=</c> metadata).</summary>
    public static RecordingEvaluationInput ToEvaluationInput(Result result) => new(
        result.Name,
        ScenarioKinds.FromScenarioName(result.Layout.Metadata.GetValueOrDefault("scenario")),
        result.DurationSeconds,
        result.Truth,
        DetectedCramp.FromEvents(result.Events, result.DurationSeconds));

    private sealed class CollectingSink(ICrampEventSink? forward) : ICrampEventSink
    {
        public List<CrampEvent> Events { get; } = [];

        public void OnEvent(CrampEvent cramp)
        {
            Events.Add(cramp);
            forward?.OnEvent(cramp);
        }
    }
}
