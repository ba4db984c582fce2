namespace CrampSense.Contract;

/// <summary>
/// The fault codes of contract v1 (<see cref="FaultMessage.Faults"/>); the schema allows any short snake-case code,
/// these are the ones CrampSense sends. One vocabulary: the wearable's mapping and the bridge read them from here.
/// </summary>
public static class FaultCodes
{
    public const string Railed = "railed";
    public const string Flat = "flat";
    public const string NotANumber = "nan";
    public const string DroppedSamples = "dropped_samples";
    public const string Clipped = "clipped";
    public const string LeadOff = "lead_off";
    public const string SpikeTrain = "spike_train";
    public const string HumBurst = "hum_burst";
    public const string BusError = "bus_error";
    public const string ChipMissing = "chip_missing";
    public const string ChecksumError = "checksum_error";
    public const string NoData = "no_data";

    /// <summary>The device's storage is full: event clips are not written (source <see cref="FaultMessage.SensorSource"/>, site <see cref="FaultMessage.DeviceSite"/>).</summary>
    public const string StorageFull = "storage_full";

    /// <summary>The device's storage failed otherwise (folder gone or not writable, medium failing); clips are not written.</summary>
    public const string StorageError = "storage_error";

    /// <summary>The schema's <c>maxLength</c> of <see cref="FaultMessage.Detail"/>.</summary>
    public const int DetailMaxLength = 1000;

    /// <summary>Signal-quality faults seen by the detector (source <see cref="FaultMessage.SignalSource"/>).</summary>
    public static IReadOnlyList<string> Signal { get; } = [Railed, Flat, NotANumber, DroppedSamples, Clipped, LeadOff, SpikeTrain, HumBurst];

    /// <summary>Sensor and bus faults (source <see cref="FaultMessage.SensorSource"/>).</summary>
    public static IReadOnlyList<string> Sensor { get; } = [BusError, ChipMissing, ChecksumError, Railed, Flat, NoData];

    /// <summary>Faults of the device's storage, reported like a sensor's on the device (the schema's sources are signal and sensor).</summary>
    public static IReadOnlyList<string> Storage { get; } = [StorageFull, StorageError];
}

/// <summary>The activity classes of contract v1 telemetry (<see cref="TelemetryMessage.Class"/>; the schema's enum).</summary>
public static class TelemetryClasses
{
    public const string Rest = "rest";
    public const string Voluntary = "voluntary";
    public const string Cramp = "cramp";
    public const string Artifact = "artifact";

    /// <summary>Most windows of the period were faulty.</summary>
    public const string Fault = "fault";

    public static IReadOnlyList<string> All { get; } = [Rest, Voluntary, Cramp, Artifact, Fault];
}

/// <summary>Why a cramp ended (<see cref="EventMessage.EndReason"/>; the schema's enum).</summary>
public static class EndReasons
{
    public const string Quiet = "quiet";
    public const string SignalFault = "signal_fault";
    public const string EndOfRecording = "end_of_recording";
}

/// <summary>The urgencies of contract v1 prompts (<see cref="PromptMessage.Urgency"/>), lowest first.</summary>
public static class PromptUrgencies
{
    public const string Low = "low";
    public const string Normal = "normal";
    public const string High = "high";

    public static IReadOnlyList<string> All { get; } = [Low, Normal, High];
}
