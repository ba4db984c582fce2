using System.CommandLine;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Detection;

/// <summary>
/// <c>--full-scale-mv</c> of <c>replay</c> and <c>evaluate</c>: the front end's input range at the electrodes for every
/// site (<c>8.25</c> = ±8.25 mV, or <c>low:high</c>); it overrides the recordings' <c>full_scale_mv</c> keys.
/// </summary>
internal static class FullScaleOption
{
    public const string Name = "--full-scale-mv";

    public static Option<string?> Create() => new(Name)
    {
        Description = "Full scale of the front end at the electrodes, mV: 8.25 for ±8.25 mV (MCP3008, 3.3 V, gain 200) or low:high; overrides the recording's full_scale_mv key. Without either, clipping is inferred from repeated extreme values.",
    };

    /// <summary>The range <paramref name="value"/> gives; null when the option was not given.</summary>
    /// <exception cref="CliInputException">The value is malformed; the message names the option.</exception>
    public static FullScaleRange? Parse(string? value) =>
        value is null ? null : RecordingFullScale.TryParse(value, out var error) ?? throw new CliInputException($"{Name}: {error}");
}
