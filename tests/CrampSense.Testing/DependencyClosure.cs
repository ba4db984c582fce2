using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

namespace CrampSense.Testing;

/// <summary>What a program ships, read two ways: its deps.json (what a publish copies) and the assembly references.</summary>
public static class DependencyClosure
{
    /// <summary>The library names (<c>name/version</c>) in <paramref name="depsFile"/> beside the tests.</summary>
    public static string[] DepsLibraries(string depsFile)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, depsFile)));
        return [.. deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name)];
    }

    /// <summary>Every assembly <paramref name="root"/> reaches through its references, except the framework's System.*.</summary>
    public static HashSet<string> AssemblyReferences(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<Assembly>([root]);
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

        return seen;
    }
}
