using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Detection;

namespace CrampSense.Wearable;

/// <summary>
/// Detector events and coach prompts in contract v1 form. The contract knows nothing of the domain; the domain's
/// vocabulary meets the contract's here and only here.
/// </summary>
public static class ContractMapping
{
    /// <summary>
    /// The contract form of a detector event. The message id is the event id plus the type, so the started and ended
    /// messages of one cramp differ, and replaying the same recording gives the same ids.
    /// </summary>
    /// <exception cref="ArgumentException">The event is a <c>signal_fault</c> (use <see cref="ToFaultMessage"/>).</exception>
    public static EventMessage ToEventMessage(CrampEvent cramp, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        var type = cramp.Type switch
        {
            CrampEventKind.CrampStarted => EventMessage.CrampStarted,
            CrampEventKind.CrampEnded => EventMessage.CrampEnded,
            CrampEventKind.CrampWarning => EventMessage.CrampWarning,
            _ => throw new ArgumentException(
                $"A {cramp.Type} event goes to the fault topic (ContractMapping.ToFaultMessage), not to the event topic.", nameof(cramp)),
        };
        return new EventMessage
        {
            Id = $"{cramp.Id}:{type}",
            Time = ContractTime.Format(time),
            Device = cramp.Device,
            Site = cramp.Site,
            Type = type,
            EventId = cramp.Id,
            OnsetSeconds = cramp.OnsetSeconds,
            ConfirmedSeconds = cramp.ConfirmedSeconds,
            EndSeconds = cramp.EndSeconds,
            DurationSeconds = cramp.DurationSeconds,
            PeakMicrovolts = cramp.PeakMicrovolts,
            MeanMicrovolts = cramp.MeanMicrovolts,
            PeakPercentOfMax = cramp.PeakPercentOfMax,
            MeanPercentOfMax = cramp.MeanPercentOfMax,
            SkinTemperatureCelsius = cramp.SkinTemperatureCelsius,
            Confidence = cramp.Confidence,
            EndReason = cramp.EndReason switch
            {
                null => null,
                CrampEndReason.Quiet => EndReasons.Quiet,
                CrampEndReason.SignalFault => EndReasons.SignalFault,
                _ => EndReasons.EndOfRecording,
            },
            ModelVersion = cramp.ModelVersion,
        };
    }

    /// <summary>The contract form of a detector <c>signal_fault</c> event; its fault names are the detector's (<see cref="CrampEvent.FaultNames"/>, one of <see cref="FaultCodes.Signal"/> each).</summary>
    /// <exception cref="ArgumentException">The event is not a <c>signal_fault</c>.</exception>
    public static FaultMessage ToFaultMessage(CrampEvent fault, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Type != CrampEventKind.SignalFault)
        {
            throw new ArgumentException($"Only signal_fault events go to the fault topic, not {fault.Type}.", nameof(fault));
        }

        return new FaultMessage
        {
            Id = fault.Id,
            Time = ContractTime.Format(time),
            Device = fault.Device,
            Site = fault.Site,
            Source = FaultMessage.SignalSource,
            Faults = fault.Faults ?? [],
            OnsetSeconds = fault.OnsetSeconds,
            EventId = fault.Id,
        };
    }

    /// <summary>
    /// The contract form of a coach prompt. The id stays the coach's (deterministic, so a re-sent or replayed
    /// prompt keeps it); the time is when the coach created it. The haptic pattern stays on the wearable.
    /// </summary>
    public static PromptMessage ToPromptMessage(CoachPrompt prompt, string device)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return new PromptMessage
        {
            Id = prompt.Id,
            Time = ContractTime.Format(prompt.CreatedAt),
            Device = device,
            Site = prompt.Site,
            Kind = CoachPrompt.KindName(prompt.Kind),
            Urgency = prompt.Urgency switch
            {
                PromptUrgency.Low => PromptUrgencies.Low,
                PromptUrgency.Normal => PromptUrgencies.Normal,
                PromptUrgency.High => PromptUrgencies.High,
                _ => throw new ArgumentOutOfRangeException(nameof(prompt), prompt.Urgency, "Unknown prompt urgency."),
            },
            Title = prompt.Title,
            Text = prompt.Text,
            EventId = prompt.TriggerId,
        };
    }

    /// <summary>
    /// A sensor or bus fault on <paramref name="site"/> (<c>device</c> when it concerns no one site) with its contract
    /// <paramref name="code"/> (<see cref="FaultCodes.Sensor"/>); the detail is cut to the schema's <see cref="FaultCodes.DetailMaxLength"/>.
    /// </summary>
    public static FaultMessage ToSensorFaultMessage(string device, string? site, string code, string detail, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new FaultMessage
        {
            Id = ContractTime.NewId(time),
            Time = ContractTime.Format(time),
            Device = device,
            Site = site ?? FaultMessage.DeviceSite,
            Source = FaultMessage.SensorSource,
            Faults = [code],
            Detail = detail.Length > FaultCodes.DetailMaxLength ? detail[..FaultCodes.DetailMaxLength] : detail,
        };
    }

    /// <summary>A site's telemetry of one period, made at <paramref name="time"/>; the id is a new time-ordered one (telemetry is never replayed by id).</summary>
    public static TelemetryMessage ToTelemetryMessage(SiteTelemetry telemetry, string device, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        return new TelemetryMessage
        {
            Id = ContractTime.NewId(time),
            Time = ContractTime.Format(time),
            Device = device,
            Site = telemetry.Site,
            EnvelopeMicrovolts = telemetry.EnvelopeMicrovolts,
            PercentOfMax = telemetry.PercentOfMax,
            Class = telemetry.Class,
            CrampActive = telemetry.CrampActive,
            SkinTemperatureCelsius = telemetry.SkinTemperatureCelsius,
            HumMicrovolts = telemetry.HumMicrovolts,
        };
    }

    /// <summary>The name of a detector event's type as the contract and the logs spell it (<c>signal_fault</c> goes to the fault topic).</summary>
    public static string TypeName(CrampEventKind kind) => kind switch
    {
        CrampEventKind.CrampStarted => EventMessage.CrampStarted,
        CrampEventKind.CrampEnded => EventMessage.CrampEnded,
        CrampEventKind.CrampWarning => EventMessage.CrampWarning,
        _ => "signal_fault", // the detector's own name; such events go to the fault topic as a FaultMessage
    };
}
