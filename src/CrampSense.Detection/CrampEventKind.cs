using System.Text.Json.Serialization;

namespace CrampSense.Detection;

/// <summary>What a <see cref="CrampEvent"/> reports; its JSON <c>type</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CrampEventKind>))]
public enum CrampEventKind
{
    /// <summary>A contraction has been judged involuntary and has lasted the minimum cramp duration.</summary>
    [JsonStringEnumMemberName("cramp_started")]
    CrampStarted,

    /// <summary>A started cramp is over (quiet for the end delay, a signal fault, or the end of the recording).</summary>
    [JsonStringEnumMemberName("cramp_ended")]
    CrampEnded,

    /// <summary>The pre-cramp pattern: activity at rest raised 100–500 % over the rest floor for tens of seconds.</summary>
    [JsonStringEnumMemberName("cramp_warning")]
    CrampWarning,

    /// <summary>The channel's signal quality failed (railed, flat, NaN, dropped samples).</summary>
    [JsonStringEnumMemberName("signal_fault")]
    SignalFault,
}

/// <summary>Why a cramp ended; the JSON <c>end_reason</c> of a <c>cramp_ended</c> event.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CrampEndReason>))]
public enum CrampEndReason
{
    /// <summary>The activity stayed below the exit threshold for the end delay.</summary>
    [JsonStringEnumMemberName("quiet")]
    Quiet,

    /// <summary>The channel became faulty; a faulty channel cannot show a cramp, so the cramp is closed where the clean signal stopped.</summary>
    [JsonStringEnumMemberName("signal_fault")]
    SignalFault,

    /// <summary>The recording (or the live session) ended while the cramp was running.</summary>
    [JsonStringEnumMemberName("end_of_recording")]
    EndOfRecording,
}
