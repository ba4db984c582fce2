using Xunit;

namespace CrampSense.Coaching.Tests;

public sealed class CrampHistoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CountWithin_CountsOnlyCrampsInsideTheWindow()
    {
        var history = new CrampHistory(TimeSpan.FromDays(7), 100);
        history.Seed(
            [
                new PastCramp(Now.AddDays(-8)),
                new PastCramp(Now.AddDays(-6)),
                new PastCramp(Now.AddDays(-1)),
                new PastCramp(Now.AddHours(-1)),
            ],
            Now);

        Assert.Equal(3, history.CountWithin(TimeSpan.FromDays(7), Now));
        Assert.Equal(2, history.CountWithin(TimeSpan.FromDays(2), Now));
    }

    [Fact]
    public void Seed_DropsCrampsOlderThanRetentionAndSortsTheRest()
    {
        var history = new CrampHistory(TimeSpan.FromDays(7), 100);

        history.Seed([new PastCramp(Now.AddDays(-1)), new PastCramp(Now.AddDays(-30)), new PastCramp(Now.AddDays(-3))], Now);

        Assert.Equal([Now.AddDays(-3), Now.AddDays(-1)], history.Cramps.Select(c => c.StartedAt));
    }

    [Fact]
    public void Add_AsTimePasses_ForgetsCrampsThatLeaveTheRetention()
    {
        var history = new CrampHistory(TimeSpan.FromDays(7), 100);
        history.Add(new PastCramp(Now), Now);

        history.Add(new PastCramp(Now.AddDays(7.5)), Now.AddDays(7.5));

        Assert.Equal(1, history.Count);
        Assert.Equal(Now.AddDays(7.5), history.Cramps[0].StartedAt);
    }

    [Fact]
    public void Add_BeyondMaxEntries_DropsTheOldest()
    {
        var history = new CrampHistory(TimeSpan.FromDays(7), 3);

        for (var i = 0; i < 5; i++)
        {
            history.Add(new PastCramp(Now.AddMinutes(i)), Now.AddMinutes(i));
        }

        Assert.Equal(3, history.Count);
        Assert.Equal(Now.AddMinutes(2), history.Cramps[0].StartedAt);
    }

    [Fact]
    public void Remove_NearestStartWithinTolerance_RemovesOnlyThatCramp()
    {
        var now = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
        var history = new CrampHistory(TimeSpan.FromDays(7), 10);
        history.Add(new PastCramp(now.AddHours(-2)), now);
        history.Add(new PastCramp(now.AddHours(-1)), now);

        Assert.False(history.Remove(now.AddHours(-1).AddSeconds(5), TimeSpan.FromSeconds(1)));
        Assert.True(history.Remove(now.AddHours(-1).AddMilliseconds(3), TimeSpan.FromSeconds(1)));

        Assert.Equal([now.AddHours(-2)], history.Cramps.Select(c => c.StartedAt));
    }

    [Fact]
    public void SetDuration_KnownStart_RecordsTheDuration()
    {
        var history = new CrampHistory(TimeSpan.FromDays(7), 10);
        history.Add(new PastCramp(Now), Now);

        Assert.True(history.SetDuration(Now, TimeSpan.FromSeconds(40)));
        Assert.False(history.SetDuration(Now.AddSeconds(1), TimeSpan.FromSeconds(40)));
        Assert.Equal(TimeSpan.FromSeconds(40), history.Cramps[0].Duration);
    }

    [Fact]
    public void Constructor_NonPositiveRetentionOrCap_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrampHistory(TimeSpan.Zero, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrampHistory(TimeSpan.FromDays(1), 0));
    }
}
