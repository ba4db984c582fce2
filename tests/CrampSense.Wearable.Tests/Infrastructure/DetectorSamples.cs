using CrampSense.Detection;
using CrampSense.Signals.Features;

namespace CrampSense.Wearable.Tests.Infrastructure;

/// <summary>Detector events of each kind (their contract forms are Messaging.Tests' Samples).</summary>
internal static class DetectorSamples
{
    public static readonly DateTimeOffset Time = new(2026, 11, 26, 14, 0, 0, 123, TimeSpan.Zero);

    public static CrampEvent Started(string device = "pi-01", string site = "calf", double onset = 12.5) => new()
    {
        Type = CrampEventKind.CrampStarted,
        Id = $"{device}:{site}:cramp:{(long)(onset * 1000)}",
        Device = device,
        Site = site,
        OnsetSeconds = onset,
        ConfirmedSeconds = onset + 5,
        DurationSeconds = 5,
        PeakMicrovolts = 180,
        MeanMicrovolts = 140,
        RestFloorMicrovolts = 5,
        PeakTimesRestFloor = 36,
        MeanTimesRestFloor = 28,
        PeakPercentOfMax = 61.5,
        MeanPercentOfMax = 48.2,
        MeanFrequencyHz = 92,
        MedianFrequencyHz = 80,
        SkinTemperatureCelsius = 33.4,
        Confidence = 0.91,
        ModelVersion = "m-2026.11",
    };

    public static CrampEvent Ended(string device = "pi-01", string site = "calf", double onset = 12.5) => Started(device, site, onset) with
    {
        Type = CrampEventKind.CrampEnded,
        EndSeconds = onset + 40,
        DurationSeconds = 40,
        EndReason = CrampEndReason.Quiet,
    };

    public static CrampEvent Warning(string device = "pi-01") => new()
    {
        Type = CrampEventKind.CrampWarning,
        Id = $"{device}:calf:warning:3000",
        Device = device,
        Site = "calf",
        OnsetSeconds = 3,
        ConfirmedSeconds = 23,
        DurationSeconds = 20,
        PeakMicrovolts = 25,
        MeanMicrovolts = 18,
    };

    public static CrampEvent SignalFault(string device = "pi-01") => new()
    {
        Type = CrampEventKind.SignalFault,
        Id = $"{device}:hamstring:fault:99000",
        Device = device,
        Site = "hamstring",
        OnsetSeconds = 99,
        ConfirmedSeconds = 99.05,
        Faults = CrampEvent.FaultNames(SignalQuality.Railed | SignalQuality.Flat),
    };
}
