using Xunit;

namespace CrampSense.Signals.Tests;

/// <summary>
/// The measure behind every 0-B steady-state test (<see cref="SteadyStateAllocation"/>): it must still see code that
/// allocates in its stretch, however many runs it takes the least of.
/// </summary>
public sealed class SteadyStateAllocationTests
{
    [Fact]
    public void BytesOfSecondRun_StretchThatAllocatesEveryCall_ReportsItsAllocation()
    {
        object? keep = null;
        long bytes = SteadyStateAllocation.BytesOfSecondRun(() => () =>
        {
            for (int i = 0; i < 100; i++)
            {
                keep = new byte[64];
            }
        });

        GC.KeepAlive(keep);
        Assert.True(bytes >= 100 * 64, $"100 arrays of 64 B measured as {bytes} B");
    }

    [Fact]
    public void BytesOfSecondRun_StretchThatAllocatesNothing_ReportsZero()
    {
        var buffer = new double[1024];
        long bytes = SteadyStateAllocation.BytesOfSecondRun(() => () =>
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = Math.Sqrt(i);
            }
        });

        Assert.Equal(0, bytes);
    }
}
