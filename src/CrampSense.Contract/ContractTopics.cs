namespace CrampSense.Contract;

/// <summary>The MQTT topics of contract v1 for one device (<c>crampsense/v1/&lt;device&gt;/…</c>); see docs/mqtt.md.</summary>
public sealed class ContractTopics
{
    /// <summary>First levels of every CrampSense topic; the version changes only with an incompatible contract.</summary>
    public const string Root = "crampsense/v1";

    /// <summary>Home Assistant's birth/last-will topic; <c>online</c> there means "send discovery again".</summary>
    public const string HomeAssistantStatus = "homeassistant/status";

    /// <summary>Topics for <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The device id is not valid (<see cref="DeviceId"/>).</exception>
    public ContractTopics(string device, string homeAssistantPrefix = "homeassistant")
    {
        Device = DeviceId.ThrowIfInvalid(device);
        var prefix = $"{Root}/{Device}";
        Status = prefix + "/status";
        Event = prefix + "/event";
        Prompt = prefix + "/prompt";
        Telemetry = prefix + "/telemetry";
        Fault = prefix + "/fault";
        Feedback = prefix + "/feedback";
        FeedbackResult = prefix + "/feedback/result";
        HomeAssistantDiscovery = $"{homeAssistantPrefix}/device/{Device}/config";
    }

    /// <summary>The validated device id.</summary>
    public string Device { get; }

    /// <summary>Retained <c>online</c>/<c>offline</c> status; the last will.</summary>
    public string Status { get; }

    /// <summary>Cramp events (QoS 1).</summary>
    public string Event { get; }

    /// <summary>Coach prompts (QoS 1).</summary>
    public string Prompt { get; }

    /// <summary>1 Hz per-site summary (QoS 0).</summary>
    public string Telemetry { get; }

    /// <summary>Sensor and signal faults (QoS 1).</summary>
    public string Fault { get; }

    /// <summary>Feedback commands to the wearable (QoS 1; only the device and an operator may write it, deploy/mosquitto/acl).</summary>
    public string Feedback { get; }

    /// <summary>The wearable's answer to each feedback command: applied or refused with the reason (QoS 1).</summary>
    public string FeedbackResult { get; }

    /// <summary>Retained Home Assistant device discovery config.</summary>
    public string HomeAssistantDiscovery { get; }
}
