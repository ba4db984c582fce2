using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class EmgChannelPipelineTests
{
    [Fact]
    public void Process_SampleBySampleAndInBlocks_GiveIdenticalFilteredAndEnvelope()
    {
        var raw = TestSignals.WhiteNoise(4000, 0.1, seed: 12);
        var streamed = new EmgChannelPipeline(1000, new EmgFilterOptions { NotchHz = 50 });
        var blocked = new EmgChannelPipeline(1000, new EmgFilterOptions { NotchHz = 50 });
        var expectedFiltered = new float[raw.Length];
        var expectedEnvelope = new float[raw.Length];
        for (int n = 0; n < raw.Length; n++)
        {
            expectedEnvelope[n] = streamed.Process(raw[n], out expectedFiltered[n]);
        }

        var filtered = new float[raw.Length];
        var envelope = new float[raw.Length];
        for (int start = 0; start < raw.Length; start += 250)
        {
            blocked.Process(raw.AsSpan(start, 250), filtered.AsSpan(start, 250), envelope.AsSpan(start, 250));
        }

        Assert.Equal(expectedFiltered, filtered);
        Assert.Equal(expectedEnvelope, envelope);
    }

    [Fact]
    public void Process_NaNSample_DoesNotPoisonTheFilterState()
    {
        var pipeline = new EmgChannelPipeline(1000);
        var raw = TestSignals.Sine(1000, 80, 1, 3000);
        raw[1000] = float.NaN;
        raw[1001] = float.PositiveInfinity;
        float envelope = 0;
        foreach (var x in raw)
        {
            envelope = pipeline.Process(x, out float filtered);
            Assert.True(float.IsFinite(filtered));
        }

        Assert.InRange(envelope, 0.55, 0.7);
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var raw = TestSignals.WhiteNoise(10000, 0.1, seed: 1);
        var filtered = new float[raw.Length];
        var envelope = new float[raw.Length];
        long bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var pipeline = new EmgChannelPipeline(1000, new EmgFilterOptions { NotchHz = 60 });
            pipeline.Process(raw, filtered, envelope);
            return () =>
            {
                for (int n = 0; n < raw.Length; n++)
                {
                    envelope[n] = pipeline.Process(raw[n], out filtered[n]);
                }

                pipeline.Process(raw, filtered, envelope);
            };
        });

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Reset_AfterUse_ReproducesTheFirstRun()
    {
        var raw = TestSignals.WhiteNoise(1500, 0.1, seed: 2);
        var pipeline = new EmgChannelPipeline(1000);
        var first = new float[raw.Length];
        var firstEnvelope = new float[raw.Length];
        pipeline.Process(raw, first, firstEnvelope);
        pipeline.Reset();
        var second = new float[raw.Length];
        var secondEnvelope = new float[raw.Length];
        pipeline.Process(raw, second, secondEnvelope);
        Assert.Equal(first, second);
        Assert.Equal(firstEnvelope, secondEnvelope);
    }
}
