namespace CrampSense.Detection;

/// <summary>Running sums over the windows of one event; a value type so the tracker allocates nothing while it adds.</summary>
internal struct EventStatistics
{
    public int Count;
    public double EnvelopeSum;
    public double PeakEnvelope;
    public double CrampProbabilitySum;

    /// <summary>Windows the model scored (quiet windows at rest may not be: <see cref="ClassProbabilities.NotScored"/>).</summary>
    public int ScoredCount;
    public double MeanFrequencySum;
    public double MedianFrequencySum;
    public int TemperatureCount;
    public double TemperatureSum;

    public void Add(in WindowAssessment window)
    {
        Count++;
        EnvelopeSum += window.EnvelopeMicrovolts;
        if (Count == 1 || window.EnvelopeMicrovolts > PeakEnvelope)
        {
            PeakEnvelope = window.EnvelopeMicrovolts;
        }

        if (window.Probabilities.IsScored)
        {
            ScoredCount++;
            CrampProbabilitySum += window.Probabilities.Cramp;
        }
        MeanFrequencySum += window.MeanFrequencyHz;
        MedianFrequencySum += window.MedianFrequencyHz;
        if (window.HasSkinTemperature)
        {
            TemperatureCount++;
            TemperatureSum += window.SkinTemperatureCelsius;
        }
    }

    public void Merge(in EventStatistics other)
    {
        if (other.Count == 0)
        {
            return;
        }

        PeakEnvelope = Count == 0 ? other.PeakEnvelope : Math.Max(PeakEnvelope, other.PeakEnvelope);
        Count += other.Count;
        EnvelopeSum += other.EnvelopeSum;
        CrampProbabilitySum += other.CrampProbabilitySum;
        ScoredCount += other.ScoredCount;
        MeanFrequencySum += other.MeanFrequencySum;
        MedianFrequencySum += other.MedianFrequencySum;
        TemperatureCount += other.TemperatureCount;
        TemperatureSum += other.TemperatureSum;
    }

    public readonly double? MeanEnvelope => Count == 0 ? null : EnvelopeSum / Count;

    public readonly double? Peak => Count == 0 ? null : PeakEnvelope;

    public readonly double? MeanCrampProbability => ScoredCount == 0 ? null : CrampProbabilitySum / ScoredCount;

    public readonly double? MeanOfMeanFrequency => Count == 0 ? null : MeanFrequencySum / Count;

    public readonly double? MeanOfMedianFrequency => Count == 0 ? null : MedianFrequencySum / Count;

    public readonly double? MeanTemperature => TemperatureCount == 0 ? null : TemperatureSum / TemperatureCount;
}
