namespace CrampSense.Bridge.Mapping;

/// <summary>
/// Names of the InfluxDB measurements, tags and fields the bridge writes (docs/influxdb.md). Tags are only
/// low-cardinality values (device, site, type/kind/urgency/source/fault codes/feedback); ids, text and numbers are fields.
/// </summary>
public static class InfluxSchema
{
    /// <summary><c>cramp_started</c> and <c>cramp_ended</c> events (tag <see cref="TypeTag"/> keeps the two apart at the same millisecond).</summary>
    public const string CrampEvent = "cramp_event";

    /// <summary><c>cramp_warning</c> events.</summary>
    public const string CrampWarning = "cramp_warning";

    /// <summary>Coach prompts.</summary>
    public const string Prompt = "prompt";

    /// <summary>Sensor and signal faults.</summary>
    public const string Fault = "fault";

    /// <summary>The 1 Hz per-site summary.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>The device's retained online/offline status with its outbox counters.</summary>
    public const string DeviceStatus = "device_status";

    /// <summary>Every measurement, for tests and documentation.</summary>
    public static IReadOnlyList<string> Measurements { get; } = [CrampEvent, CrampWarning, Prompt, Fault, Telemetry, DeviceStatus];

    public const string DeviceTag = "device";
    public const string SiteTag = "site";
    public const string TypeTag = "type";
    public const string KindTag = "kind";
    public const string UrgencyTag = "urgency";
    public const string SourceTag = "source";
    public const string FaultsTag = "faults";

    /// <summary>On a <c>feedback_applied</c> event: what the wearer said (<c>confirmed</c>, <c>rejected</c>, <c>reported</c>).</summary>
    public const string FeedbackTag = "feedback";
}
