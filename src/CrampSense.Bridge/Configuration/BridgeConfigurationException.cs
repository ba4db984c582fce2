namespace CrampSense.Bridge.Configuration;

/// <summary>The bridge's configuration is invalid; <see cref="Problems"/> lists each problem, each starting with its key.</summary>
public sealed class BridgeConfigurationException : Exception
{
    public BridgeConfigurationException()
        : this([])
    {
    }

    public BridgeConfigurationException(string message)
        : this([message])
    {
    }

    public BridgeConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception from every problem found.</summary>
    public BridgeConfigurationException(IReadOnlyList<string> problems)
        : base("Invalid bridge configuration:" + Environment.NewLine + string.Join(Environment.NewLine, (problems ?? []).Select(p => "  " + p)))
    {
        Problems = problems ?? [];
    }

    /// <summary>Every problem, each naming its configuration key.</summary>
    public IReadOnlyList<string> Problems { get; }
}
