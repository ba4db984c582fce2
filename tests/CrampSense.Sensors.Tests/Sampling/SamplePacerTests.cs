using CrampSense.Sensors.Sampling;
using Xunit;

namespace CrampSense.Sensors.Tests.Sampling;

public class SamplePacerTests
{
    private const long Frequency = 1_000_000; // 1 tick = 1 µs

    [Fact]
    public void TryTakeSlot_BeforeDue_TakesNothingAndSaysHowLongToWait()
    {
        var pacer = new SamplePacer(2000, Frequency, startTicks: 1000);

        Assert.True(pacer.TryTakeSlot(1000, out var first, out _, out _));
        Assert.Equal(0, first);
        Assert.False(pacer.TryTakeSlot(1499, out _, out _, out _));
        Assert.Equal(1, pacer.TicksUntilDue(1499));
    }

    [Fact]
    public void TryTakeSlot_OnTimeWithJitterBelowAPeriod_TakesEverySlotAndMeasuresLateness()
    {
        var pacer = new SamplePacer(2000, Frequency, 0);
        var lateness = new List<long>();

        for (var n = 0; n < 10; n++)
        {
            Assert.True(pacer.TryTakeSlot((n * 500) + (n % 3 * 100), out var index, out var dropped, out var late));
            Assert.Equal(n, index);
            Assert.Equal(0, dropped);
            lateness.Add(late);
        }

        Assert.Equal(new long[] { 0, 100, 200, 0, 100, 200, 0, 100, 200, 0 }, lateness);
    }

    [Fact]
    public void TryTakeSlot_WokeMoreThanAPeriodLate_DropsTheMissedSlotsAndTakesTheCurrentOne()
    {
        var pacer = new SamplePacer(2000, Frequency, 0);
        Assert.True(pacer.TryTakeSlot(0, out _, out _, out _));

        // Slot 1 was due at 500 µs; waking at 1 650 µs, slots 1 and 2 have passed, slot 3 (due 1 500) is current.
        Assert.True(pacer.TryTakeSlot(1650, out var index, out var dropped, out var late));

        Assert.Equal(3, index);
        Assert.Equal(2, dropped);
        Assert.Equal(150, late);
        Assert.Equal(4, pacer.NextIndex);
    }

    [Fact]
    public void TryTakeSlot_WithTolerance_ReadsLateSlotsBackToBackAndDropsOnlyThoseBeyondIt()
    {
        var pacer = new SamplePacer(2000, Frequency, 0, latenessTolerancePeriods: 3);
        Assert.True(pacer.TryTakeSlot(0, out _, out _, out _));

        // Waking at 2 400 µs: slot 1 (500) is 1 900 µs late — beyond 3 × 500 — and dropped; slots 2, 3, 4
        // (1 000, 1 500, 2 000) are within the tolerance and read in a burst, each with its lateness.
        var taken = new List<(long Index, long Dropped, long Late)>();
        while (pacer.TryTakeSlot(2400, out var index, out var dropped, out var late))
        {
            taken.Add((index, dropped, late));
        }

        Assert.Equal([(2L, 1L, 1400L), (3L, 0L, 900L), (4L, 0L, 400L)], taken);
    }

    [Fact]
    public void Constructor_ToleranceBelowOnePeriod_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplePacer(1000, Frequency, 0, latenessTolerancePeriods: 0.5));
    }

    [Fact]
    public void DueTicks_NonIntegerPeriod_DoesNotAccumulateRoundingDrift()
    {
        var pacer = new SamplePacer(3000, Frequency, 0); // 333.33 µs

        Assert.Equal(1_000_000, pacer.DueTicks(3000));
    }
}
