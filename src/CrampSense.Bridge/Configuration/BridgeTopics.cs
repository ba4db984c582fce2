using CrampSense.Contract;

namespace CrampSense.Bridge.Configuration;

/// <summary>The bridge's own topics, beside the contract's device topics (<see cref="ContractTopics"/>).</summary>
public static class BridgeTopics
{
    /// <summary>Invalid payloads go here with the reason and the original topic (QoS 1, not retained).</summary>
    public const string DeadLetter = ContractTopics.Root + "/_deadletter";

    /// <summary>The last level of each device topic the bridge reads, and the payload schema expected there.</summary>
    public static IReadOnlyDictionary<string, string> SchemaByKind { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["status"] = SchemaNames.Status,
        ["event"] = SchemaNames.Event,
        ["prompt"] = SchemaNames.Prompt,
        ["telemetry"] = SchemaNames.Telemetry,
        ["fault"] = SchemaNames.Fault,
    };

    /// <summary>The topic kinds, in a fixed order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["status", "event", "prompt", "telemetry", "fault"];

    /// <summary>The start of every bridge status topic (<see cref="Status"/>).</summary>
    public const string StatusPrefix = ContractTopics.Root + "/_bridge/";

    /// <summary>The retained health status of bridge <paramref name="instanceId"/>: <c>crampsense/v1/_bridge/&lt;instance&gt;/status</c>.</summary>
    public static string Status(string instanceId) => $"{StatusPrefix}{instanceId}/status";
}
