using System.Diagnostics.CodeAnalysis;

namespace CrampSense.Simulation;

/// <summary>
/// How the muscle signal of a plan is rendered. Both engines render the same plan (cramps, holds, gait,
/// nuisances) and give the same truth; they share nothing in how the EMG itself is made, so a detector tuned on
/// one can be checked on the other.
/// </summary>
public enum SimulationEngine
{
    /// <summary>Motor-unit pools with discharge trains and potential shapes (Fuglevand, Winter &amp; Patla 1993).</summary>
    MotorUnit,

    /// <summary>
    /// Amplitude-modulated Gaussian noise shaped by a parametric sEMG spectrum (Shwedyk, Balasubramanian &amp; Scott
    /// 1977), a bipolar-electrode filter (Lindström &amp; Magnusson 1977) and fatigue as spectral compression.
    /// </summary>
    Stochastic,
}

/// <summary>The command-line names of <see cref="SimulationEngine"/> (<c>--engine motor-unit|stochastic</c>).</summary>
public static class SimulationEngines
{
    /// <summary>The names in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["motor-unit", "stochastic"];

    /// <summary>The command-line name of <paramref name="engine"/>.</summary>
    public static string Name(SimulationEngine engine) => engine switch
    {
        SimulationEngine.MotorUnit => "motor-unit",
        SimulationEngine.Stochastic => "stochastic",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown engine"),
    };

    /// <summary>Reads a command-line engine name (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SimulationEngine? engine)
    {
        engine = text?.Trim().ToLowerInvariant() switch
        {
            "motor-unit" => SimulationEngine.MotorUnit,
            "stochastic" => SimulationEngine.Stochastic,
            _ => null,
        };
        return engine is not null;
    }
}
