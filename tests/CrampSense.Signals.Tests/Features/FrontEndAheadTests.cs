using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using CrampSense.Signals.Tests.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class FrontEndAheadTests
{
    private const double Fs = 1000;
    private const int Rows = 30_000;

    /// <summary>The rows a replay's read-ahead thread may be ahead of the detector (4 blocks of 4 096).</summary>
    private const int FramesAhead = 4 * 4096;

    private static readonly RecordingLayout Layout = new(Fs, ["calf", "hamstring", "quad", "shin"], hasSkinTemperature: false, hasAcceleration: false);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1000)]
    [InlineData(4, FramesAhead)]
    public void Process_WithTheFrontEndRowsAhead_GivesTheSameFeaturesAndFlagsAsAloneWhileTheFaultsAndHumShow(int qualitySites, int rowsAhead)
    {
        var frames = FaultyFrames();
        var options = new FeatureExtractorOptions();
        var alone = Windows(new EmgFeatureExtractor(Layout, options), frames, stage: null, lag: 0);
        var stage = new FrontEndAhead(Layout, options, qualitySites, rowsAhead);
        var split = Windows(new EmgFeatureExtractor(Layout, options, stage), frames, stage, lag: rowsAhead);

        // Every site's fault was seen and the shin's canceller engaged, so what was handed over was not all None and zero.
        Assert.Contains(alone, w => (w.Quality[0] & SignalQuality.Clipped) != 0);
        Assert.Contains(alone, w => (w.Quality[1] & SignalQuality.SpikeTrain) != 0);
        Assert.Contains(alone, w => (w.Quality[2] & SignalQuality.Flat) != 0);
        Assert.Contains(alone, w => (w.Quality[2] & SignalQuality.NonFinite) != 0);
        Assert.Contains(alone, w => w.Values[(3 * EmgFeatureNames.Count) + (int)EmgFeature.HumLevel] > 0.1f);
        Assert.Equal(alone.Count, split.Count);
        for (int i = 0; i < alone.Count; i++)
        {
            Assert.Equal(alone[i].Quality, split[i].Quality);
            Assert.Equal(alone[i].Values, split[i].Values);
        }
    }

    [Fact]
    public void AddAndProcess_SteadyStateRowsAhead_AllocateNothing()
    {
        var frames = FaultyFrames();
        long bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var options = new FeatureExtractorOptions();
            var stage = new FrontEndAhead(Layout, options, 2, 1000);
            var extractor = new EmgFeatureExtractor(Layout, options, stage);
            var output = extractor.CreateFrame();
            int next = 0;

            void Feed(int count)
            {
                for (int n = 0; n < count; n++, next++)
                {
                    stage.Add(frames[next + 1000]);
                    extractor.Process(frames[next], output);
                }
            }

            for (int n = 0; n < 1000; n++)
            {
                stage.Add(frames[n]);
            }

            Feed(4000);
            return () => Feed(20_000);
        });

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Process_WindowWhoseRowsWereNotAddedToTheStage_Throws()
    {
        var options = new FeatureExtractorOptions();
        var stage = new FrontEndAhead(Layout, options, 2, 1000);
        var extractor = new EmgFeatureExtractor(Layout, options, stage);
        var output = extractor.CreateFrame();
        var frames = FaultyFrames();
        for (int n = 0; n < extractor.WindowLength - 1; n++)
        {
            Assert.False(extractor.Process(frames[n], output));
        }

        Assert.Throws<InvalidOperationException>(() => extractor.Process(frames[extractor.WindowLength - 1], output));
    }

    [Fact]
    public void Add_MoreRowsAheadThanItWasMadeFor_Throws()
    {
        var stage = new FrontEndAhead(Layout, new FeatureExtractorOptions(), 1, rowsAhead: 100);
        var frames = FaultyFrames();
        int windowsHeld = (100 / stage.HopLength) + 2;
        int rowsThatFit = stage.WindowLength + ((windowsHeld - 1) * stage.HopLength);
        for (int n = 0; n < rowsThatFit; n++)
        {
            stage.Add(frames[n]);
        }

        // One more window than its ring holds, with nobody taking any.
        for (int n = rowsThatFit; n < rowsThatFit + stage.HopLength - 1; n++)
        {
            stage.Add(frames[n]);
        }

        Assert.Throws<InvalidOperationException>(() => stage.Add(frames[rowsThatFit + stage.HopLength - 1]));
    }

    [Fact]
    public void Constructor_StageMadeWithOtherOptions_Throws()
    {
        var stage = new FrontEndAhead(Layout, new FeatureExtractorOptions(), 1, 1000);

        Assert.Throws<ArgumentException>(() => new EmgFeatureExtractor(Layout, new FeatureExtractorOptions { HopSeconds = 0.025 }, stage));
    }

    [Fact]
    public void Process_AfterReset_Throws()
    {
        var options = new FeatureExtractorOptions();
        var stage = new FrontEndAhead(Layout, options, 1, 1000);
        var extractor = new EmgFeatureExtractor(Layout, options, stage);
        var frames = FaultyFrames();
        stage.Add(frames[0]);
        extractor.Process(frames[0], extractor.CreateFrame());

        extractor.Reset();

        Assert.Throws<InvalidOperationException>(() => extractor.Process(frames[1], extractor.CreateFrame()));
    }

    /// <summary>
    /// Feeds every frame to <paramref name="stage"/> <paramref name="lag"/> rows before the extractor (as the read-ahead
    /// thread runs ahead of the detector's) and keeps every window's flags and values.
    /// </summary>
    private static List<(SignalQuality[] Quality, float[] Values)> Windows(EmgFeatureExtractor extractor, RecordingFrame[] frames, FrontEndAhead? stage, int lag)
    {
        var output = extractor.CreateFrame();
        var windows = new List<(SignalQuality[], float[])>();
        for (int n = 0; n < frames.Length + lag; n++)
        {
            if (stage is not null && n < frames.Length)
            {
                stage.Add(frames[n]);
            }

            int row = n - lag;
            if (row >= 0 && extractor.Process(frames[row], output))
            {
                windows.Add((Enumerable.Range(0, Layout.Sites.Count).Select(output.Quality).ToArray(), output.Values.ToArray()));
            }
        }

        return windows;
    }

    /// <summary>
    /// 30 s of rest noise on four sites, each with its own fault: the calf clipped at ±1 mV for 5 s (a pile-up at both
    /// extremes), pops on the hamstring for 6 s, the quad flat for 4 s and then one NaN, 50-Hz hum on the shin from 8 s.
    /// </summary>
    private static RecordingFrame[] FaultyFrames()
    {
        var noise = TestSignals.WhiteNoise(Rows * 4, 0.02, seed: 17);
        var loud = TestSignals.WhiteNoise(Rows, 1.5, seed: 18);
        var hum = TestSignals.Sine(Fs, 50, 0.3, Rows);
        var frames = new RecordingFrame[Rows];
        for (int n = 0; n < Rows; n++)
        {
            double t = n / Fs;
            var frame = Layout.CreateFrame();
            frame.TimeSeconds = t;
            var emg = frame.EmgMillivolts;
            emg[0] = t is >= 5 and < 10 ? Math.Clamp(loud[n], -1f, 1f) : noise[4 * n];
            emg[1] = noise[(4 * n) + 1] + (t is >= 12 and < 18 && n % 300 < 2 ? 2f : 0f);
            emg[2] = t is >= 20 and < 24 ? 0.1f : n == 25_000 ? float.NaN : noise[(4 * n) + 2];
            emg[3] = noise[(4 * n) + 3] + (t >= 8 ? hum[n] : 0f);
            frames[n] = frame;
        }

        return frames;
    }
}
