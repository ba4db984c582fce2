namespace CrampSense.ServiceDefaults;

/// <summary>
/// A configuration that cannot be used: <see cref="Problems"/> lists every problem, each starting with its key; the
/// message names the section and lists them one per line. Each room derives its own (messaging, bridge, sensors), so
/// a caller can tell whose configuration failed.
/// </summary>
public abstract class ConfigurationProblemsException : Exception
{
    /// <summary>One exception for all <paramref name="problems"/> of <paramref name="what"/> (e.g. "messaging").</summary>
    protected ConfigurationProblemsException(string what, IReadOnlyList<string>? problems, Exception? innerException = null)
        : base(problems is null || problems.Count == 0
            ? $"Invalid {what} configuration."
            : $"Invalid {what} configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)), innerException)
    {
        Problems = problems ?? [];
    }

    /// <summary>The problems, each starting with the configuration key it concerns.</summary>
    public IReadOnlyList<string> Problems { get; }
}
