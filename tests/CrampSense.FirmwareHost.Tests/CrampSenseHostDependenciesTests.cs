using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using CrampSense.FirmwareHost.Hosting;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

/// <summary>
/// Issue 12 item 6: the Pi ships scoring only. The service's dependency closure holds no training library (ML.NET,
/// LightGbm, CrampSense.Training), read two ways: the host's deps.json (what a publish copies) and the assembly references.
/// </summary>
public sealed class CrampSenseHostDependenciesTests
{
    private static bool IsTraining(string name) =>
        name.StartsWith("Microsoft.ML", StringComparison.OrdinalIgnoreCase)
        || name.Contains("LightGbm", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Training", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void DepsJson_ListsTheDetectorButNoTrainingLibrary()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "crampsense-host.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(path));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Contains(libraries, l => l.StartsWith("CrampSense.Detection/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, IsTraining);
    }

    [Fact]
    public void AssemblyReferences_ReachNoTrainingAssembly()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<Assembly>([typeof(CrampSenseHostProgram).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is not { } name || !seen.Add(name) || name.StartsWith("System", StringComparison.Ordinal))
                {
                    continue;
                }

                pending.Enqueue(AssemblyLoadContext.Default.LoadFromAssemblyName(reference));
            }
        }

        Assert.Contains("CrampSense.Detection", seen);
        Assert.DoesNotContain(seen, IsTraining);
    }
}
