using System.Text.Json;
using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Detection.Tests;

public sealed class CrampEventTests
{
    private static CrampEvent Ended() => new()
    {
        Type = CrampEventKind.CrampEnded,
        Id = "pi-01:calf:cramp:10000",
        Device = "pi-01",
        Site = "calf",
        OnsetSeconds = 10.0,
        ConfirmedSeconds = 15.0,
        EndSeconds = 42.5,
        DurationSeconds = 32.5,
        PeakMicrovolts = 310.2,
        MeanMicrovolts = 180.4,
        RestFloorMicrovolts = 4.5,
        PeakTimesRestFloor = 68.93,
        MeanTimesRestFloor = 40.09,
        PeakPercentOfMax = 77.6,
        MeanPercentOfMax = 45.1,
        MeanFrequencyHz = 118.2,
        MedianFrequencyHz = 97.5,
        SkinTemperatureCelsius = 31.25,
        Confidence = 0.913,
        ModelVersion = "2026.11.26-lgbm",
        EndReason = CrampEndReason.Quiet,
    };

    [Fact]
    public void ToJson_WritesOneLineWithTheIssuePropertyNames()
    {
        string json = Ended().ToJson();

        Assert.DoesNotContain('\n', json);
        using var document = JsonDocument.Parse(json);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(
            ["type", "id", "device", "site", "onset_s", "confirmed_s", "end_s", "duration_s", "peak_uv", "mean_uv", "rest_floor_uv",
             "peak_x_floor", "mean_x_floor", "peak_pct_max", "mean_pct_max", "mean_freq_hz", "median_freq_hz", "skin_temp_c",
             "confidence", "model_version", "end_reason"],
            names);
        Assert.Equal("cramp_ended", document.RootElement.GetProperty("type").GetString());
        Assert.Equal("quiet", document.RootElement.GetProperty("end_reason").GetString());
        Assert.Equal(10.0, document.RootElement.GetProperty("onset_s").GetDouble());
    }

    [Fact]
    public void ToJson_LeavesOutFieldsThatDoNotApply()
    {
        var fault = new CrampEvent
        {
            Type = CrampEventKind.SignalFault,
            Id = "pi-01:calf:fault:5000",
            Device = "pi-01",
            Site = "calf",
            OnsetSeconds = 5.0,
            ConfirmedSeconds = 5.05,
            Faults = CrampEvent.FaultNames(SignalQuality.Railed | SignalQuality.NonFinite),
        };

        Assert.Equal(
            """{"type":"signal_fault","id":"pi-01:calf:fault:5000","device":"pi-01","site":"calf","onset_s":5,"confirmed_s":5.05,"faults":["railed","nan"]}""",
            fault.ToJson());
    }

    [Fact]
    public void FromJson_ReadsWhatToJsonWrote()
    {
        var original = Ended();

        var read = CrampEvent.FromJson(original.ToJson());

        Assert.Equal(original, read);
    }

    [Theory]
    [InlineData("""{"type":"cramp_exploded","id":"x","device":"d","site":"calf","onset_s":1}""")]
    [InlineData("""{"type":"cramp_started","device":"d","site":"calf","onset_s":1}""")]
    [InlineData("""{"type":"cramp_started",""")]
    public void FromJson_InvalidEvent_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => CrampEvent.FromJson(json));
    }

    [Fact]
    public void FaultNames_ListsEveryFlagInOrder()
    {
        Assert.Equal(
            ["railed", "flat", "nan", "dropped_samples"],
            CrampEvent.FaultNames(SignalQuality.DroppedSamples | SignalQuality.NonFinite | SignalQuality.Flat | SignalQuality.Railed));
        Assert.Empty(CrampEvent.FaultNames(SignalQuality.None));
    }
}
