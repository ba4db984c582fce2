using CrampSense.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Contract;
using CrampSense.Signals.Features;

namespace CrampSense.Wearable;

/// <summary>
/// Sums the detector's windows per site over one telemetry period (1 s) into the site's telemetry
/// (<see cref="SiteTelemetry"/>; the dispatcher maps it to the contract): mean envelope, % of the calibrated maximum (with a profile), the most likely class over the period
/// (<c>fault</c> when most windows were faulty), whether a cramp runs, the newest skin temperature, the mean
/// mains hum being removed.
/// Allocation-free per window; one message per site per period.
/// </summary>
public sealed class TelemetryAggregator
{
    private readonly string[] _sites;
    private readonly double?[] _maxMicrovolts;
    private readonly double[] _envelope;
    private readonly double[] _hum;
    private readonly double[,] _probabilities;
    private readonly int[] _faulty;
    private readonly bool[] _unscored;
    private readonly float?[] _skin;
    private readonly double _periodSeconds;
    private int _windows;
    private double _periodEnd = double.NaN;

    public TelemetryAggregator(IReadOnlyList<string> sites, PersonalProfile? profile, TimeSpan period)
    {
        _sites = [.. sites];
        _maxMicrovolts = _sites.Select(s => profile?.ForSite(s)?.MaxVoluntaryMicrovolts).ToArray();
        _envelope = new double[_sites.Length];
        _hum = new double[_sites.Length];
        _probabilities = new double[_sites.Length, ClassProbabilities.ClassCount];
        _faulty = new int[_sites.Length];
        _unscored = new bool[_sites.Length];
        _skin = new float?[_sites.Length];
        _periodSeconds = period.TotalSeconds;
    }

    /// <summary>The class name of a window (contract v1 telemetry classes).</summary>
    public static string ClassName(in WindowAssessment window) =>
        window.Faults != SignalQuality.None ? TelemetryClasses.Fault : ClassName(window.Probabilities);

    private static string ClassName(ClassProbabilities p)
    {
        var best = ActivityClass.Rest;
        for (var c = ActivityClass.Voluntary; c <= ActivityClass.Artifact; c++)
        {
            if (p[c] > p[best])
            {
                best = c;
            }
        }

        return best switch
        {
            ActivityClass.Rest => TelemetryClasses.Rest,
            ActivityClass.Voluntary => TelemetryClasses.Voluntary,
            ActivityClass.Cramp => TelemetryClasses.Cramp,
            _ => TelemetryClasses.Artifact,
        };
    }

    /// <summary>
    /// Whether the class of site <paramref name="site"/>'s current period can still depend on the next window's scores: false
    /// once a clean window of the period was not scored (<see cref="ClassProbabilities.NotScored"/>), whose NaN sums make the
    /// period's class <c>rest</c> whatever the other windows' scores (or <c>fault</c> by the count of faulty windows).
    /// </summary>
    public bool ReadsScores(int site) => !_unscored[site];

    /// <summary>
    /// Adds one window of every site; when the window closes a period, returns the period's summaries (else null).
    /// </summary>
    public List<SiteTelemetry>? Add(ReadOnlySpan<WindowAssessment> windows, Func<int, bool> crampActive)
    {
        ArgumentNullException.ThrowIfNull(crampActive);
        if (windows.Length == 0)
        {
            return null;
        }

        var end = windows[0].EndSeconds;
        if (double.IsNaN(_periodEnd))
        {
            _periodEnd = (Math.Floor(end / _periodSeconds) + 1) * _periodSeconds;
        }

        for (var s = 0; s < windows.Length && s < _sites.Length; s++)
        {
            ref readonly var w = ref windows[s];
            _envelope[s] += w.EnvelopeMicrovolts;
            _hum[s] += w.HumMicrovolts;
            if (w.Faults != SignalQuality.None)
            {
                _faulty[s]++;
            }
            else
            {
                for (var c = 0; c < ClassProbabilities.ClassCount; c++)
                {
                    _probabilities[s, c] += w.Probabilities[(ActivityClass)c];
                }

                _unscored[s] |= !w.Probabilities.IsScored;
            }

            if (w.HasSkinTemperature)
            {
                _skin[s] = w.SkinTemperatureCelsius;
            }
        }

        _windows++;
        if (end < _periodEnd)
        {
            return null;
        }

        var messages = new List<SiteTelemetry>(_sites.Length);
        for (var s = 0; s < _sites.Length; s++)
        {
            var envelope = _envelope[s] / _windows;
            var cls = _faulty[s] * 2 > _windows
                ? TelemetryClasses.Fault
                : ClassName(new ClassProbabilities((float)_probabilities[s, 0], (float)_probabilities[s, 1], (float)_probabilities[s, 2], (float)_probabilities[s, 3]));
            messages.Add(new SiteTelemetry(
                _sites[s],
                Math.Round(envelope, 2),
                _maxMicrovolts[s] is double max && max > 0 ? Math.Round(100 * envelope / max, 1) : null,
                cls,
                crampActive(s),
                _skin[s] is float celsius ? Math.Round(celsius, 2) : null,
                Math.Round(_hum[s] / _windows, 2)));
            _envelope[s] = 0;
            _hum[s] = 0;
            _faulty[s] = 0;
            _unscored[s] = false;
            for (var c = 0; c < ClassProbabilities.ClassCount; c++)
            {
                _probabilities[s, c] = 0;
            }
        }

        _windows = 0;
        while (_periodEnd <= end)
        {
            _periodEnd += _periodSeconds;
        }

        return messages;
    }
}
