using CrampSense.Detection.Calibration;
using Xunit;

namespace CrampSense.Training.Tests;

public sealed class PersonalAdaptationTests
{
    private static HabitExample Rejected(double level, double steadiness = 0.2, string site = "calf", double seconds = 20) =>
        new("clip.csv", site, 60, new HabitSignature(level, steadiness), IsCramp: false, seconds);

    private static HabitExample Cramp(double level, double steadiness = 0.2, string site = "calf", double seconds = 20) =>
        new("cramp.csv", site, 60, new HabitSignature(level, steadiness), IsCramp: true, seconds);

    [Theory]
    [InlineData(10, 20, 20, 25)] // the longest plus half the spread (5 s), as much as a quarter of it
    [InlineData(10, 30, 20, 40)] // half the spread (10 s) is more than a quarter of the longest (7.5 s)
    [InlineData(20, 20, 20, 25)] // no spread: a quarter of the longest
    public void Learn_GivesTheHabitADurationBeyondTheLongestRejectedHold(double first, double second, double third, double expected)
    {
        var result = PersonalAdaptation.Learn([Rejected(3.0, seconds: first), Rejected(3.1, seconds: second), Rejected(3.2, seconds: third)], []);

        Assert.Equal(expected, Assert.Single(result.Habits).ConfirmAfterSeconds!.Value, 9);
    }

    [Fact]
    public void Learn_AKnownCrampInsideTheBoxThatOutlastsTheHabit_IsNoReasonToRefuse()
    {
        HabitExample[] rejected = [Rejected(3.0), Rejected(3.1), Rejected(3.2)];

        var result = PersonalAdaptation.Learn(rejected, [Cramp(3.1, seconds: 25.5)]);

        Assert.Single(result.Habits);
        Assert.Empty(result.Refused);
    }

    [Fact]
    public void Learn_FiveRejectedContractions_GivesTheirBoxWidenedSoASixthRepetitionMatches()
    {
        HabitExample[] rejected = [Rejected(3.0), Rejected(3.1), Rejected(3.2), Rejected(3.05, 0.25), Rejected(3.15, 0.18)];

        var result = PersonalAdaptation.Learn(rejected, []);

        var habit = Assert.Single(result.Habits);
        Assert.Equal(("calf", 5), (habit.Site, habit.Examples));
        Assert.Equal(new HabitRange(2.85, 3.35), new HabitRange(Math.Round(habit.LogMeanOverFloor.Low, 6), Math.Round(habit.LogMeanOverFloor.High, 6)));
        Assert.True(habit.Matches(new HabitSignature(3.3, 0.16)));
        Assert.False(habit.Matches(new HabitSignature(3.6, 0.2)));
        Assert.False(habit.Matches(new HabitSignature(3.1, 0.5)));
        Assert.Empty(result.Refused);
    }

    [Fact]
    public void Learn_FewerRejectionsThanTheMinimumOnASite_LearnsNothingThereAndSaysWhy()
    {
        var result = PersonalAdaptation.Learn([Rejected(3.0), Rejected(3.1), Rejected(3.0, site: "shin"), Rejected(3.1, site: "shin"), Rejected(3.2, site: "shin")], []);

        Assert.Equal(["shin"], result.Habits.Select(h => h.Site));
        Assert.Contains(result.Refused, r => r.StartsWith("calf: 2 rejected", StringComparison.Ordinal));
    }

    [Fact]
    public void Learn_AKnownCrampInsideTheBox_RefusesTheHabitAsIndistinguishable()
    {
        HabitExample[] rejected = [Rejected(3.0), Rejected(3.1), Rejected(3.2)];

        var result = PersonalAdaptation.Learn(rejected, [Cramp(3.1)]);

        Assert.Empty(result.Habits);
        Assert.Contains("cannot be told from a cramp", Assert.Single(result.Refused), StringComparison.Ordinal);
    }

    [Fact]
    public void Learn_TheWearersOwnConfirmedCrampInsideTheBox_AlsoRefuses_AndCrampsElsewhereDoNot()
    {
        HabitExample[] labelled = [Rejected(3.0), Rejected(3.1), Rejected(3.2), Cramp(3.1)];

        Assert.Empty(PersonalAdaptation.Learn(labelled, []).Habits);
        Assert.Single(PersonalAdaptation.Learn(labelled[..3], [Cramp(3.1, site: "shin"), Cramp(3.1, steadiness: 0.6), Cramp(1.5)]).Habits);
    }
}
