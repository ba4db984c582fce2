using CrampSense.ServiceDefaults;

namespace CrampSense.Bridge.Configuration;

/// <summary>The bridge's configuration is invalid; <see cref="ConfigurationProblemsException.Problems"/> lists each problem, each starting with its key.</summary>
public sealed class BridgeConfigurationException : ConfigurationProblemsException
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
        : base("bridge", [message], innerException)
    {
    }

    /// <summary>One exception for all <paramref name="problems"/> (each "Key: what is wrong").</summary>
    public BridgeConfigurationException(IReadOnlyList<string> problems)
        : base("bridge", problems)
    {
    }
}
