using CrampSense.ServiceDefaults;

namespace CrampSense.Messaging.Configuration;

/// <summary>The messaging configuration is invalid; <see cref="ConfigurationProblemsException.Problems"/> lists every problem, each starting with its key.</summary>
public sealed class MessagingConfigurationException : ConfigurationProblemsException
{
    public MessagingConfigurationException()
        : this([])
    {
    }

    public MessagingConfigurationException(string message)
        : this([message])
    {
    }

    public MessagingConfigurationException(string message, Exception innerException)
        : base("messaging", [message], innerException)
    {
    }

    /// <summary>One exception for all <paramref name="problems"/> (each "Key: what is wrong").</summary>
    public MessagingConfigurationException(IReadOnlyList<string> problems)
        : base("messaging", problems)
    {
    }
}
