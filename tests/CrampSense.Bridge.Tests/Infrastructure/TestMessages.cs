using System.Text.Json;
using CrampSense.Bridge.Validation;
using CrampSense.Contract;

namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>Valid contract messages for tests; each has its own time, so its point has its own timestamp.</summary>
internal static class TestMessages
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 2, 0, 0, 0, TimeSpan.Zero);

    public static string NewDevice(string prefix = "dev") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>The <paramref name="index"/>-th cramp_started of a device: time Start + index·10 ms, onset_s = index.</summary>
    public static EventMessage Started(string device, int index, string site = "calf") => new()
    {
        Id = $"{device}:{site}:cramp:{index}:cramp_started",
        Time = ContractTime.Format(Start.AddMilliseconds(index * 10L)),
        Device = device,
        Site = site,
        Type = EventMessage.CrampStarted,
        EventId = $"{device}:{site}:cramp:{index}",
        OnsetSeconds = index,
        ConfirmedSeconds = index + 4.5,
        DurationSeconds = 4.5,
        PeakMicrovolts = 100 + (index % 97),
        MeanMicrovolts = 80.25,
        PeakPercentOfMax = 55.5,
        MeanPercentOfMax = 40.125,
        SkinTemperatureCelsius = 33.4,
        Confidence = 0.91,
        ModelVersion = "m-2026.11",
    };

    public static EventMessage Ended(string device, int index, string site = "calf") => Started(device, index, site) with
    {
        Id = $"{device}:{site}:cramp:{index}:cramp_ended",
        Type = EventMessage.CrampEnded,
        EndSeconds = index + 30,
        DurationSeconds = 30,
        EndReason = "quiet",
    };

    /// <summary>What the wearable publishes after applying a feedback command to the <paramref name="index"/>-th cramp (issue 16 §2).</summary>
    public static EventMessage FeedbackApplied(string device, int index, string feedback = EventMessage.Rejected) => new()
    {
        Id = $"{device}:calf:cramp:{index}:feedback_applied:{feedback}",
        Time = ContractTime.Format(Start.AddMilliseconds((index * 10L) + 5)),
        Device = device,
        Site = "calf",
        Type = EventMessage.FeedbackApplied,
        EventId = $"{device}:calf:cramp:{index}",
        OnsetSeconds = index,
        ModelVersion = "m-2026.11",
        Feedback = feedback,
        CommandId = $"cmd-{index}",
    };

    public static EventMessage Warning(string device, int index) => new()
    {
        Id = $"{device}:calf:warning:{index}",
        Time = ContractTime.Format(Start.AddMilliseconds(index * 10L)),
        Device = device,
        Site = "calf",
        Type = EventMessage.CrampWarning,
        EventId = $"{device}:calf:warning:{index}",
        OnsetSeconds = index,
        PeakMicrovolts = 25,
        MeanMicrovolts = 18,
    };

    public static PromptMessage Prompt(string device, int index, string kind = "stretch") => new()
    {
        Id = $"{device}:prompt:{index}",
        Time = ContractTime.Format(Start.AddMilliseconds(index * 10L)),
        Device = device,
        Site = "calf",
        Kind = kind,
        Urgency = "high",
        Title = "Stretch your calf",
        Text = "Stop, straighten the knee and pull the foot up. Hold about 30 s, \"gently\".",
        EventId = $"{device}:calf:cramp:{index}",
    };

    public static TelemetryMessage Telemetry(string device, int index, string site = "calf") => new()
    {
        Id = $"{device}:t:{index}",
        Time = ContractTime.Format(Start.AddSeconds(index)),
        Device = device,
        Site = site,
        EnvelopeMicrovolts = 12.5 + index,
        PercentOfMax = 4.25,
        Class = "rest",
        CrampActive = index % 2 == 1,
        SkinTemperatureCelsius = 32.75,
    };

    public static FaultMessage Fault(string device, int index) => new()
    {
        Id = $"{device}:fault:{index}",
        Time = ContractTime.Format(Start.AddMilliseconds(index * 10L)),
        Device = device,
        Site = "hamstring",
        Source = FaultMessage.SignalSource,
        Faults = ["railed", "flat"],
        OnsetSeconds = index + 0.5,
        Detail = "ADC channel 1 railed at 1023",
        EventId = $"{device}:hamstring:fault:{index}",
    };

    public static StatusMessage Status(string device, int index) => new()
    {
        Id = $"{device}:status:{index}",
        Time = ContractTime.Format(Start.AddMilliseconds(index * 10L)),
        Device = device,
        State = StatusMessage.Online,
        CrampsToday = 3,
        Outbox = new OutboxReport { Pending = 7, PendingBytes = 2048, DroppedTelemetry = 1, DroppedFault = 0, DroppedEvent = 0, DroppedPrompt = 0, Rejected = 2 },
    };

    public static string Json(ContractMessage message) => message switch
    {
        EventMessage e => JsonSerializer.Serialize(e, BridgeJsonContext.Default.EventMessage),
        PromptMessage p => JsonSerializer.Serialize(p, BridgeJsonContext.Default.PromptMessage),
        TelemetryMessage t => JsonSerializer.Serialize(t, BridgeJsonContext.Default.TelemetryMessage),
        FaultMessage f => JsonSerializer.Serialize(f, BridgeJsonContext.Default.FaultMessage),
        StatusMessage s => JsonSerializer.Serialize(s, BridgeJsonContext.Default.StatusMessage),
        _ => throw new ArgumentException(message.GetType().Name),
    };

    public static string Topic(ContractMessage message)
    {
        var topics = new ContractTopics(message.Device);
        return message switch
        {
            EventMessage => topics.Event,
            PromptMessage => topics.Prompt,
            TelemetryMessage => topics.Telemetry,
            FaultMessage => topics.Fault,
            _ => topics.Status,
        };
    }
}
