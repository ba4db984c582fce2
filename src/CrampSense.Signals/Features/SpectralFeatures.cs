namespace CrampSense.Signals.Features;

/// <summary>Spectral features of one window, restricted to the analysis band.</summary>
/// <param name="MeanFrequencyHz">Power-weighted mean frequency, Hz (0 when there is no power).</param>
/// <param name="MedianFrequencyHz">Frequency splitting the band power in halves, Hz (0 when there is no power).</param>
/// <param name="LowBandRatio">Power fraction below the low/mid edge.</param>
/// <param name="MidBandRatio">Power fraction between the two edges.</param>
/// <param name="HighBandRatio">Power fraction at or above the mid/high edge.</param>
/// <param name="BandPower">Sum of the periodogram bins in the band (unnormalised FFT units).</param>
public readonly record struct SpectralFeatures(
    float MeanFrequencyHz,
    float MedianFrequencyHz,
    float LowBandRatio,
    float MidBandRatio,
    float HighBandRatio,
    double BandPower);
