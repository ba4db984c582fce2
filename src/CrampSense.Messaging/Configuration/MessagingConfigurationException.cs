namespace CrampSense.Messaging.Configuration;

/// <summary>The messaging configuration is invalid; <see cref="Exception.Message"/> lists every problem, each starting with its key.</summary>
public sealed class MessagingConfigurationException : Exception
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
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>One exception for all <paramref name="problems"/> (each "Key: what is wrong").</summary>
    public MessagingConfigurationException(IReadOnlyList<string> problems)
        : base(problems is null || problems.Count == 0
            ? "Invalid messaging configuration."
            : "Invalid messaging configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems ?? [];
    }

    /// <summary>The problems, each starting with the configuration key it concerns.</summary>
    public IReadOnlyList<string> Problems { get; }
}
