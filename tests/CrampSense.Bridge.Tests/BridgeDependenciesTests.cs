using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>
/// Issue 15 item 1: the bridge is a server of the contract, not of the detector. Its closure holds the contract and
/// the transport but no domain room (Detection, Signals, Coaching) and none of their libraries (ML.NET, LightGbm,
/// NWaves), read two ways: the bridge's deps.json (what a publish copies) and the assembly references. Nor does it
/// hold the wearable's side of messaging: the publisher's SQLite outbox (with its native library) and the embedded
/// broker stay in CrampSense.Messaging, of which the bridge takes only CrampSense.Messaging.Connection.
/// </summary>
public sealed class BridgeDependenciesTests
{
    private static bool IsDomain(string name) =>
        name.StartsWith("CrampSense.Detection", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Signals", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Coaching", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Wearable", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.ML", StringComparison.OrdinalIgnoreCase)
        || name.Contains("LightGbm", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("NWaves", StringComparison.OrdinalIgnoreCase);

    /// <summary>SQLite (the ADO.NET provider and SQLitePCLRaw's managed and native parts) or the wearable's publisher.</summary>
    private static bool IsWearableStorage(string name) =>
        name.Contains("Sqlite", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Messaging/", StringComparison.OrdinalIgnoreCase)
        || name.Equals("CrampSense.Messaging", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void DepsJson_ListsTheContractButNoDomainLibrary()
    {
        var libraries = DependencyClosure.DepsLibraries("crampsense-bridge.deps.json");

        Assert.Contains(libraries, l => l.StartsWith("CrampSense.Contract/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, IsDomain);
    }

    [Fact]
    public void DepsJson_ListsTheMqttClientButNotTheEmbeddedBroker()
    {
        var libraries = DependencyClosure.DepsLibraries("crampsense-bridge.deps.json");

        Assert.Contains(libraries, l => l.StartsWith("MQTTnet/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => l.StartsWith("MQTTnet.Server/", StringComparison.Ordinal));
    }

    [Fact]
    public void AssemblyReferences_ReachNoDomainAssembly()
    {
        var seen = DependencyClosure.AssemblyReferences(typeof(BridgeHost).Assembly);

        Assert.Contains("CrampSense.Contract", seen);
        Assert.DoesNotContain(seen, IsDomain);
    }

    [Fact]
    public void DepsJson_ListsTheConnectionOptionsButNoSqliteOrOutbox()
    {
        var libraries = DependencyClosure.DepsLibraries("crampsense-bridge.deps.json");

        Assert.Contains(libraries, l => l.StartsWith("CrampSense.Messaging.Connection/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, IsWearableStorage);
    }

    [Fact]
    public void AssemblyReferences_ReachNoSqliteOrOutbox()
    {
        var seen = DependencyClosure.AssemblyReferences(typeof(BridgeHost).Assembly);

        Assert.Contains("CrampSense.Messaging.Connection", seen);
        Assert.DoesNotContain(seen, IsWearableStorage);
    }
}
