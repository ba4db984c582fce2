using CrampSense.Coaching;
using Xunit;

namespace CrampSense.Wearable.Tests;

public sealed class ActivityEstimatorTests
{
    private const double Hop = 0.05;

    /// <summary>Feeds windows from <paramref name="from"/> for <paramref name="seconds"/>; returns the reports (time, context).</summary>
    private static List<(double At, ActivityContext Context)> Feed(ActivityEstimator estimator, double from, double seconds, bool moving, double? skin = 33.0)
    {
        var reports = new List<(double, ActivityContext)>();
        int steps = (int)Math.Round(seconds / Hop);
        for (int i = 1; i <= steps; i++)
        {
            double t = from + (i * Hop);
            if (estimator.Update(t, moving, skin, out var context))
            {
                reports.Add((t, context));
            }
        }

        return reports;
    }

    [Fact]
    public void Update_SustainedMovement_BecomesExerciseAfterAboutFiftyFiveSeconds()
    {
        var estimator = new ActivityEstimator();

        var reports = Feed(estimator, 0, 120, moving: true);

        // 1 − e^(−t/60) reaches 0.6 at t = 60·ln 2.5 ≈ 55 s.
        var change = Assert.Single(reports, r => r.Context.Kind == ActivityKind.Exercise && r.At < 60);
        Assert.InRange(change.At, 54.9, 55.1);
        Assert.Equal(ActivityKind.Exercise, estimator.Activity);
    }

    [Fact]
    public void Update_TurningOverInBed_StaysRest()
    {
        var estimator = new ActivityEstimator();
        Feed(estimator, 0, 600, moving: false);

        // Ten seconds of motion every two minutes: a restless night, not exercise.
        var reports = new List<(double At, ActivityContext Context)>();
        for (int k = 0; k < 10; k++)
        {
            double start = 600 + (k * 120);
            reports.AddRange(Feed(estimator, start, 10, moving: true));
            reports.AddRange(Feed(estimator, start + 10, 110, moving: false));
        }

        Assert.All(reports, r => Assert.Equal(ActivityKind.Rest, r.Context.Kind));
        Assert.True(estimator.MovingFraction < ActivityEstimator.EnterFraction);
    }

    [Fact]
    public void Update_ShortPauseInARun_KeepsExerciseAndALongStopEndsIt()
    {
        var estimator = new ActivityEstimator();
        Feed(estimator, 0, 600, moving: true);

        var pause = Feed(estimator, 600, 30, moving: false);
        Assert.Equal(ActivityKind.Exercise, estimator.Activity);
        Assert.DoesNotContain(pause, r => r.Context.Kind == ActivityKind.Rest);

        var stop = Feed(estimator, 630, 120, moving: false);

        // From ≈ 1, the fraction decays to 0.2 after 60·ln 5 ≈ 97 s of stillness (counted from 600 s).
        var change = Assert.Single(stop, r => r.Context.Kind == ActivityKind.Rest);
        Assert.InRange(change.At, 600 + 96, 600 + 98);
    }

    [Fact]
    public void Update_NoChange_ReportsEveryMinuteWithTheSkinTemperature()
    {
        var estimator = new ActivityEstimator();

        var reports = Feed(estimator, 0, 300, moving: false, skin: 31.5);

        Assert.Equal([60.0, 120.0, 180.0, 240.0, 300.0], reports.Select(r => Math.Round(r.At, 2)));
        Assert.All(reports, r => Assert.Equal(new ActivityContext(ActivityKind.Rest, 31.5), r.Context));
    }

    [Fact]
    public void Update_TimeNotAdvancingOrNotFinite_IsIgnored()
    {
        var estimator = new ActivityEstimator();
        Feed(estimator, 0, 40, moving: true);
        double before = estimator.MovingFraction;

        Assert.False(estimator.Update(40, true, null, out _));
        Assert.False(estimator.Update(39, true, null, out _));
        Assert.False(estimator.Update(double.NaN, true, null, out _));

        Assert.Equal(before, estimator.MovingFraction);
    }
}
