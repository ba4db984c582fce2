using CrampSense.Signals.Dsp;

namespace CrampSense.Signals.Features;

/// <summary>What a window reads of a channel's mains-interference canceller (all zero and false when it is off).</summary>
internal readonly record struct MainsReading(bool HumPresent, bool IsReacquiring, double HumRms, double UndetectedHumRms, double MainsFrequencyHz, double ResidualHumRms)
{
    /// <summary>The canceller's state now; the off reading for none.</summary>
    public static MainsReading Of(MainsInterferenceCanceller? mains) =>
        mains is null ? default : new(mains.HumPresent, mains.IsReacquiring, mains.HumRms, mains.UndetectedHumRms, mains.MainsFrequencyHz, mains.ResidualHumRms);
}
