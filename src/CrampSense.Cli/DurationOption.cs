namespace CrampSense.Cli;

/// <summary>The CLI's side of <see cref="Signals.DurationText"/>: a bad value is a <see cref="CliInputException"/> naming the option.</summary>
internal static class DurationOption
{
    /// <summary>Parses <paramref name="text"/> with the one duration grammar; a bad value is a <see cref="CliInputException"/> naming <paramref name="option"/>.</summary>
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Signals.DurationText.TryParse(text, out var duration) ? duration : throw new CliInputException(Signals.DurationText.Problem(option, text));
    }
}
