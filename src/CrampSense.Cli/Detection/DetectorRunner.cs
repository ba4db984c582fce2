using System.Runtime.CompilerServices;
using CrampSense.Detection;
using CrampSense.Detection.Evaluation;
using CrampSense.Detection.Model;
using CrampSense.Signals;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable;

namespace CrampSense.Cli.Detection;

/// <summary>
/// Runs a whole recording through the wearable's <see cref="DetectionSession"/> (the service's detection, telemetry,
/// activity and coach ticks) and keeps its events, and, when asked, every item the session made.
/// </summary>
internal static class DetectorRunner
{
    /// <summary>The result of one run: every event, the recording's length and row count, and the session's items (empty unless kept).</summary>
    public sealed record Result(string Name, RecordingLayout Layout, IReadOnlyList<TruthInterval> Truth, IReadOnlyList<CrampEvent> Events, double DurationSeconds, long Rows, IReadOnlyList<SessionItem> Items);

    /// <summary>
    /// Runs <paramref name="source"/> to its end; events also go to <paramref name="forward"/> when given; with
    /// <paramref name="keepItems"/> the session's items (events, telemetry, activity, ticks) are kept for the dispatcher.
    /// With <paramref name="readAhead"/> the source is read on a second thread (<see cref="FrameReadAhead"/>): the
    /// same frames and errors, on two cores; evaluate, which already runs a recording per core, reads directly.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    public static Result Run(RecordingSource source, IWindowScorer model, CrampDetectorOptions? options = null, ICrampEventSink? forward = null, Action<long>? onRows = null, TextWriter? windows = null, bool keepItems = false, bool readAhead = false)
    {
        var sink = new CollectingOutput(forward, keepItems);

        // The window rows show every window's probabilities; without them quiet rest windows are scored less often.
        if (windows is not null)
        {
            options = (options ?? new CrampDetectorOptions()) with { ScoreEveryWindow = true };
        }

        // The reader thread starts first: its first frames are read while the session is built. It also runs the detector's
        // filters and the first sites' quality monitors (FrontEndAhead): the detector thread is the critical path.
        options ??= new CrampDetectorOptions();
        var frontEnd = readAhead ? new FrontEndAhead(source.Layout, options.Features, SitesJudgedAhead(source.Layout.Sites.Count), FrameReadAhead.MostFramesAhead) : null;
        using var ahead = frontEnd is null ? null : new FrameReadAhead(source.Layout, [MethodImpl(HotPath.Compiled)] (frame) =>
        {
            if (!source.TryReadFrame(frame))
            {
                return false;
            }

            frontEnd.Add(frame);
            return true;
        });
        var session = new DetectionSession(source.Layout, model, options, sink, frontEnd: frontEnd);
        var frame = source.Layout.CreateFrame();
        long rows = 0;
        if (windows is not null)
        {
            windows.WriteLine("t_s,site,intent_score,artifact_score,p_rest,p_voluntary,p_cramp,p_artifact,envelope_uv,floor_uv,hum_uv,faults,saturated,motion_context,active,activity_onset_s,intent,candidate_intent," + string.Join(',', ModelFeatureNames.All));
        }

        while (true)
        {
            RecordingFrame current;
            if (ahead is not null)
            {
                if (!ahead.TryRead(out current))
                {
                    break;
                }
            }
            else if (source.TryReadFrame(frame))
            {
                current = frame;
            }
            else
            {
                break;
            }

            if (session.Process(current) && windows is not null)
            {
                WriteWindows(windows, session.Detector);
            }

            rows++;
            if (onRows is not null && (rows & 0xFFFF) == 0)
            {
                onRows(rows);
            }
        }

        double duration = rows == 0 ? 0 : session.LastRowSeconds + (1.0 / source.Layout.SampleRateHz);
        session.Flush(duration);
        return new Result(source.Name, source.Layout, source.Truth, sink.Events, duration, rows, sink.Items);
    }

    /// <summary>
    /// How many sites' quality the read-ahead thread judges besides running every site's filters: half, rounded up, so that
    /// neither thread carries most of the work. Per-thread CPU of a 1-h replay under load (docs/measurements.md, session 12,
    /// h-replay4): before, 1 site detector 1.06–1.38 s and reader 0.41–0.55 s, 4 sites 2.13–2.18 s and 0.84–0.95 s; with this
    /// split 0.75–0.95 / 0.80–0.94 s and 1.61–1.88 / 1.22–1.54 s; every monitor ahead would make the reader the slower
    /// thread. Measured idle in wall time (same doc, "Session 12, the merged code") the split takes 12–16 % off 4 sites and
    /// nothing off 1 site, where the hand-over between the cores costs what it moves.
    /// </summary>
    internal static int SitesJudgedAhead(int sites) => (sites + 1) / 2;

    private static void WriteWindows(TextWriter writer, CrampDetector detector)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var assessments = detector.Assessments;
        for (int s = 0; s < assessments.Length; s++)
        {
            var a = assessments[s];
            var p = a.Probabilities;
            writer.Write(string.Create(c, $"{a.EndSeconds:0.###},{detector.Layout.Sites[s]},{a.Scores.Intent:0.####},{a.Scores.Artifact:0.####},{p.Rest:0.####},{p.Voluntary:0.####},{p.Cramp:0.####},{p.Artifact:0.####},{a.EnvelopeMicrovolts:0.###},{a.RestFloorMicrovolts:0.###},{a.HumMicrovolts:0.###},{(int)a.Faults},{(a.Saturated ? 1 : 0)},{(a.HasMotionContext ? 1 : 0)},{(a.IsActive ? 1 : 0)},{(double.IsFinite(a.ActivityOnsetSeconds) ? a.ActivityOnsetSeconds.ToString("0.###", c) : string.Empty)},{(int)a.Intent},{(int)detector.CandidateIntent(s)}"));
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

    private sealed class CollectingOutput(ICrampEventSink? forward, bool keepItems) : ISessionOutput
    {
        public List<CrampEvent> Events { get; } = [];

        public List<SessionItem> Items { get; } = [];

        public void Write(SessionItem item)
        {
            if (keepItems)
            {
                Items.Add(item);
            }

            if (item is DetectorEventItem e)
            {
                Events.Add(e.Event);
                forward?.OnEvent(e.Event);
            }
        }
    }
}
