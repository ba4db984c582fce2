using CrampSense.Contract;

namespace CrampSense.Testing;

/// <summary>
/// One of each payload, in contract form. The events are what the wearable's mapping makes of the detector events
/// in Wearable.Tests' DetectorSamples (ContractMappingTests checks that they are).
/// </summary>
public static class Samples
{
    public static readonly DateTimeOffset Time = new(2026, 11, 26, 14, 0, 0, 123, TimeSpan.Zero);

    public static EventMessage Started(string device = "pi-01", string site = "calf", double onset = 12.5, DateTimeOffset? time = null)
    {
        var eventId = $"{device}:{site}:cramp:{(long)(onset * 1000)}";
        return new EventMessage
        {
            Id = $"{eventId}:{EventMessage.CrampStarted}",
            Time = ContractTime.Format(time ?? Time),
            Device = device,
            Site = site,
            Type = EventMessage.CrampStarted,
            EventId = eventId,
            OnsetSeconds = onset,
            ConfirmedSeconds = onset + 5,
            DurationSeconds = 5,
            PeakMicrovolts = 180,
            MeanMicrovolts = 140,
            PeakPercentOfMax = 61.5,
            MeanPercentOfMax = 48.2,
            SkinTemperatureCelsius = 33.4,
            Confidence = 0.91,
            ModelVersion = "m-2026.11",
        };
    }

    public static EventMessage Ended(string device = "pi-01", string site = "calf", double onset = 12.5, DateTimeOffset? time = null)
    {
        var started = Started(device, site, onset, time);
        return started with
        {
            Id = $"{started.EventId}:{EventMessage.CrampEnded}",
            Type = EventMessage.CrampEnded,
            EndSeconds = onset + 40,
            DurationSeconds = 40,
            EndReason = EndReasons.Quiet,
        };
    }

    public static EventMessage Warning(string device = "pi-01") => new()
    {
        Id = $"{device}:calf:warning:3000:{EventMessage.CrampWarning}",
        Time = ContractTime.Format(Time),
        Device = device,
        Site = "calf",
        Type = EventMessage.CrampWarning,
        EventId = $"{device}:calf:warning:3000",
        OnsetSeconds = 3,
        ConfirmedSeconds = 23,
        DurationSeconds = 20,
        PeakMicrovolts = 25,
        MeanMicrovolts = 18,
    };

    public static FaultMessage SignalFault(string device = "pi-01") => new()
    {
        Id = $"{device}:hamstring:fault:99000",
        Time = ContractTime.Format(Time),
        Device = device,
        Site = "hamstring",
        Source = FaultMessage.SignalSource,
        Faults = [FaultCodes.Railed, FaultCodes.Flat],
        OnsetSeconds = 99,
        EventId = $"{device}:hamstring:fault:99000",
    };

    public static PromptMessage Prompt(string device = "pi-01", string id = "p-1") => new()
    {
        Id = id,
        Time = ContractTime.Format(Time),
        Device = device,
        Site = "calf",
        Kind = "stretch",
        Urgency = "high",
        Title = "Stretch your calf",
        Text = "Stop, straighten the knee and pull the foot up towards you. Hold about 30 s.",
        EventId = $"{device}:calf:cramp:12500",
    };

    public static TelemetryMessage Telemetry(string device = "pi-01", string id = "t-1") => new()
    {
        Id = id,
        Time = ContractTime.Format(Time),
        Device = device,
        Site = "calf",
        EnvelopeMicrovolts = 42.5,
        PercentOfMax = 12.1,
        Class = "voluntary",
        CrampActive = false,
        SkinTemperatureCelsius = 33.1,
        HumMicrovolts = 12.5,
    };

    public static FaultMessage SensorFault(string device = "pi-01") => new()
    {
        Id = "f-1",
        Time = ContractTime.Format(Time),
        Device = device,
        Site = "calf",
        Source = FaultMessage.SensorSource,
        Faults = ["adc_timeout"],
        Detail = "MCP3008 on SPI0 did not answer for 200 ms.",
    };
}
