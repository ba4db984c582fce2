namespace CrampSense.Coaching;

/// <summary>Configuration section <c>Coach:Aftercare</c>: advice on <c>cramp_ended</c> and what counts as severe.</summary>
public sealed record AftercareOptions
{
    /// <summary>
    /// A cramp lasting at least this long is severe. Default 60 s: above the mean + 2 SD of electrically elicited
    /// cramps (motor units active 23.6 ± 16.2 s; Minetto et al., J Neurophysiol 2009;102:1890).
    /// </summary>
    public TimeSpan SevereDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A cramp whose peak envelope reaches this % of the calibrated maximal voluntary contraction is severe (only
    /// when the event carries <c>peak_pct_max</c>). Default 80 %: a product choice, since no published cramp
    /// amplitude in %MVC was found (cramp-science.md §1).
    /// </summary>
    public double SeverePeakPercentOfMax { get; init; } = 80.0;

    /// <summary>
    /// How long to rest the muscle after a severe cramp, min (named in the text). Default 10 min: voluntary force
    /// was still reduced 1 min after an induced cramp and recovered by 5 min (Miller/Knight, J Athl Train
    /// 2012;47:643); doubled as a margin for longer, spontaneous cramps.
    /// </summary>
    public int RestMinutes { get; init; } = 10;
}
