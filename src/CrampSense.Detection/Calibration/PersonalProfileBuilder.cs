namespace CrampSense.Detection.Calibration;

/// <summary>
/// Builds a <see cref="PersonalProfile"/> from envelope streams: feed each site's rest envelope and, optionally,
/// its maximal-effort envelope, then <see cref="Build"/>. Pure: the CLI reads the recordings and runs the
/// envelope pipeline; this only does the arithmetic.
/// </summary>
public sealed class PersonalProfileBuilder
{
    private readonly double _envelopeRateHz;
    private readonly Dictionary<string, RestFloorEstimator> _rest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MaxVoluntaryEstimator> _max = new(StringComparer.Ordinal);

    /// <summary>
    /// A usable maximal contraction is at least this many times the rest floor. Surface EMG at rest is a few µV and at
    /// a maximal effort hundreds of µV to 2–3 mV (Konrad, ABC of EMG; /work/shared/research/cramp-science.md §sensors),
    /// so a real maximum is typically 50–500× the floor; 10× leaves room for weak muscles and thick fat and is well
    /// above the 3× the detector's labelling already calls activity. Below it the recording was most likely taken at
    /// rest, and every "% of maximum" would be meaningless.
    /// </summary>
    public const double MinimumMaxToRestRatio = 10;

    /// <summary>Creates a builder for envelope streams of <paramref name="envelopeRateHz"/> values per second.</summary>
    public PersonalProfileBuilder(double envelopeRateHz)
    {
        if (!double.IsFinite(envelopeRateHz) || envelopeRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(envelopeRateHz), envelopeRateHz, "The envelope rate must be a finite, positive number of Hz.");
        }

        _envelopeRateHz = envelopeRateHz;
    }

    /// <summary>Adds envelope values (µV) of <paramref name="site"/> recorded at rest.</summary>
    public void AddRest(string site, ReadOnlySpan<float> envelopeMicrovolts)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (!_rest.TryGetValue(site, out var estimator))
        {
            estimator = new RestFloorEstimator();
            _rest.Add(site, estimator);
        }

        estimator.Add(envelopeMicrovolts);
    }

    /// <summary>Adds envelope values (µV) of <paramref name="site"/> recorded during maximal voluntary contractions.</summary>
    public void AddMaxVoluntary(string site, ReadOnlySpan<float> envelopeMicrovolts)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (!_max.TryGetValue(site, out var estimator))
        {
            estimator = new MaxVoluntaryEstimator(_envelopeRateHz);
            _max.Add(site, estimator);
        }

        estimator.Add(envelopeMicrovolts);
    }

    /// <summary>The profile of every site that has rest data.</summary>
    /// <exception cref="InvalidOperationException">No rest data, max data for a site without rest data, a max recording shorter than one averaging window, or a maximum not above the rest floor; the message names the site.</exception>
    public PersonalProfile Build(DateTimeOffset created, string? device = null)
    {
        if (_rest.Count == 0)
        {
            throw new InvalidOperationException("No rest envelope was added; a profile needs the rest floor of at least one site.");
        }

        foreach (var site in _max.Keys)
        {
            if (!_rest.ContainsKey(site))
            {
                throw new InvalidOperationException($"Site '{site}' has a maximal-contraction recording but no rest recording.");
            }
        }

        var sites = new Dictionary<string, SiteCalibration>(StringComparer.Ordinal);
        foreach (var (site, rest) in _rest)
        {
            double floor = rest.Estimate();
            if (floor <= 0)
            {
                throw new InvalidOperationException($"Site '{site}': the rest envelope is zero; is the electrode connected?");
            }

            double? max = null;
            if (_max.TryGetValue(site, out var maxEstimator))
            {
                max = maxEstimator.HighestWindowMean
                    ?? throw new InvalidOperationException($"Site '{site}': the maximal-contraction recording is shorter than one {MaxVoluntaryEstimator.DefaultWindowSeconds} s averaging window.");
                if (max <= floor)
                {
                    throw new InvalidOperationException($"Site '{site}': the maximal contraction ({max:0.##} µV) is not above the rest floor ({floor:0.##} µV); was it a real maximal effort?");
                }
            }

            sites.Add(site, new SiteCalibration(floor, max));
        }

        return new PersonalProfile(sites, created, device);
    }

    /// <summary>
    /// The sites of <paramref name="profile"/> whose maximal contraction is below <see cref="MinimumMaxToRestRatio"/>
    /// times the rest floor, each said with its numbers (e.g. <c>calf: maximal contraction 4.1 µV is 1.2× the rest
    /// floor 3.55 µV</c>); empty when every maximum is usable or none was recorded.
    /// </summary>
    public static IReadOnlyList<string> WeakMaxima(PersonalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var weak = new List<string>();
        foreach (var (site, calibration) in profile.Sites.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (calibration.MaxVoluntaryMicrovolts is { } max && max < MinimumMaxToRestRatio * calibration.RestFloorMicrovolts)
            {
                weak.Add(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"{site}: maximal contraction {max:0.#} µV is {max / calibration.RestFloorMicrovolts:0.0}× the rest floor {calibration.RestFloorMicrovolts:0.##} µV (a usable one is ≥ {MinimumMaxToRestRatio:0}×, ≥ {MinimumMaxToRestRatio * calibration.RestFloorMicrovolts:0.#} µV)"));
            }
        }

        return weak;
    }
}
