using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrampSense.Detection.Model;

/// <summary>
/// The state machine's probability thresholds that belong to a model: its probabilities are only calibrated
/// against its own training, so <c>crampsense train</c> tunes these on the validation subjects and stores them
/// in the model zip (<see cref="CrampModel.ThresholdsEntry"/>).
/// </summary>
/// <param name="Enter">Cramp probability that starts a candidate (<see cref="CrampEventTrackerOptions.EnterCrampProbability"/>).</param>
/// <param name="Exit">Cramp probability that keeps it active (<see cref="CrampEventTrackerOptions.ExitCrampProbability"/>).</param>
/// <param name="Onset">Cramp probability that marks the onset for back-dating (<see cref="CrampEventTrackerOptions.OnsetCrampProbability"/>).</param>
public sealed record TrackerThresholds(
    [property: JsonPropertyName("enter_cramp_probability")] double Enter,
    [property: JsonPropertyName("exit_cramp_probability")] double Exit,
    [property: JsonPropertyName("onset_cramp_probability")] double Onset)
{
    /// <summary>The state machine's defaults (0.6 / 0.4 / 0.3).</summary>
    public static TrackerThresholds Default { get; } = FromOptions(new CrampEventTrackerOptions());

    internal static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    /// <summary>The thresholds of <paramref name="options"/>.</summary>
    public static TrackerThresholds FromOptions(CrampEventTrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.EnterCrampProbability, options.ExitCrampProbability, options.OnsetCrampProbability);
    }

    /// <summary><paramref name="options"/> with these thresholds.</summary>
    public CrampEventTrackerOptions Apply(CrampEventTrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { EnterCrampProbability = Enter, ExitCrampProbability = Exit, OnsetCrampProbability = Onset };
    }
}
