using CrampSense.Simulation.Physiology;
using CrampSense.Simulation.Planning;

namespace CrampSense.Simulation.Rendering;

/// <summary>Skin temperature and the accelerometer of a plan: slow signals, computed at their own rates.</summary>
internal sealed class BodyModel
{
    private readonly SimulationPlan _plan;
    private readonly PostureChange[] _postures;
    private readonly double _baselineCelsius;
    private readonly double _driftPhase;
    private readonly SimulationRandom _random;
    private readonly double _accelerationNoiseG;
    private int _postureCursor;
    private int _rhythmCursor;
    private int _cycleCursor = -1;
    private int _artifactCursor;

    public BodyModel(SimulationPlan plan, double baselineCelsius, double accelerationNoiseG, SimulationRandom random)
    {
        _accelerationNoiseG = accelerationNoiseG;
        _plan = plan;
        _postures = [.. plan.Postures.OrderBy(p => p.Time)];
        _baselineCelsius = baselineCelsius + plan.SkinOffsetCelsius;
        _random = random;
        _driftPhase = random.Uniform(0, 2 * Math.PI);
    }

    /// <summary>Skin temperature without sensor noise, °C.</summary>
    public double SkinCelsius(double t)
    {
        // Slow drift of ±0.3 °C over ~30 min (model choice), minus cold episodes approached with τ = 90 s and
        // recovered with τ = 180 s (model choice).
        var value = _baselineCelsius + (0.3 * Math.Sin((2 * Math.PI * t / 1800) + _driftPhase));
        foreach (var cold in _plan.ColdEpisodes)
        {
            if (t < cold.Start)
            {
                continue;
            }

            var reached = 1 - Math.Exp(-(Math.Min(t, cold.End) - cold.Start) / 90);
            var recovery = t > cold.End ? Math.Exp(-(t - cold.End) / 180) : 1;
            value -= cold.DropCelsius * reached * recovery;
        }

        return value;
    }

    /// <summary>Reported skin temperature: the model plus a little sensor noise (0.03 °C, model choice).</summary>
    public float MeasuredSkinCelsius(double t) => (float)(SkinCelsius(t) + (0.03 * _random.NextGaussian()));

    /// <summary>Acceleration in g at time <paramref name="t"/>; call with increasing times.</summary>
    public (float X, float Y, float Z) Acceleration(double t)
    {
        var (x, y, z) = Gravity(t);

        var rhythms = _plan.Rhythms;
        while (_rhythmCursor < rhythms.Count - 1 && rhythms[_rhythmCursor].End <= t)
        {
            _rhythmCursor++;
            _cycleCursor = -1;
        }

        if (_rhythmCursor < rhythms.Count)
        {
            var bout = rhythms[_rhythmCursor];
            var phase = bout.PhaseAt(t, ref _cycleCursor);
            if (phase >= 0)
            {
                var period = bout.CycleStarts[_cycleCursor + 1] - bout.CycleStarts[_cycleCursor];
                var sinceStart = phase * period;
                var vigour = bout.Intensity;
                if (bout.Kind == RhythmKind.Cycling)
                {
                    // The shank follows the crank: a rotating component at the cadence (model choice, 0.25 g).
                    x += 0.25 * Math.Sin(2 * Math.PI * phase);
                    z += 0.25 * Math.Cos(2 * Math.PI * phase);
                }
                else
                {
                    // Shank swing at the stride frequency, a vertical component at the step frequency and the
                    // heel-strike impact as a damped ~18 Hz oscillation (model choice, scaled by vigour).
                    x += 0.35 * vigour * Math.Sin(2 * Math.PI * phase);
                    z += 0.15 * vigour * Math.Sin(4 * Math.PI * phase);
                    z += 0.8 * vigour * Math.Exp(-sinceStart / 0.03) * Math.Cos(2 * Math.PI * 18 * sinceStart);
                }
            }
        }

        var artifacts = _plan.Artifacts;
        while (_artifactCursor < artifacts.Count && artifacts[_artifactCursor].Start + 2 < t)
        {
            _artifactCursor++;
        }

        for (var i = _artifactCursor; i < artifacts.Count && artifacts[i].Start <= t; i++)
        {
            var a = artifacts[i];
            if (a.Kind != ArtifactKind.Motion || t - a.Start > 2)
            {
                continue;
            }

            // Knock or tug on the sensor: a damped 6 Hz jolt (model choice).
            var tau = t - a.Start;
            var jolt = a.AccelerationG * Math.Exp(-tau / 0.08) * Math.Sin(2 * Math.PI * 6 * tau);
            var direction = a.Parameter; // reuse the artifact's frequency as a stable direction angle
            x += jolt * Math.Cos(direction);
            y += jolt * Math.Sin(direction);
            z += 0.5 * jolt;
        }

        // MEMS accelerometer noise: ~0.008 g RMS per axis on the fixed front end (model choice), randomised otherwise.
        x += _accelerationNoiseG * _random.NextGaussian();
        y += _accelerationNoiseG * _random.NextGaussian();
        z += _accelerationNoiseG * _random.NextGaussian();
        return ((float)x, (float)y, (float)z);
    }

    private (double X, double Y, double Z) Gravity(double t)
    {
        if (_postures.Length == 0)
        {
            return (0, 0, 1);
        }

        while (_postureCursor < _postures.Length - 1 && _postures[_postureCursor + 1].Time <= t)
        {
            _postureCursor++;
        }

        var current = _postures[_postureCursor];
        if (t < current.Time)
        {
            return Vector(current);
        }

        var target = Vector(current);
        var progress = (t - current.Time) / Math.Max(current.TransitionSeconds, 1e-3);
        if (progress >= 1 || _postureCursor == 0)
        {
            return target;
        }

        var from = Vector(_postures[_postureCursor - 1]);
        var s = progress * progress * (3 - (2 * progress));
        var x = from.X + ((target.X - from.X) * s);
        var y = from.Y + ((target.Y - from.Y) * s);
        var z = from.Z + ((target.Z - from.Z) * s);
        var norm = Math.Sqrt((x * x) + (y * y) + (z * z));
        return (x / norm, y / norm, z / norm);
    }

    /// <summary>
    /// Gravity in the sensor frame. The sensor's z axis carries gravity when still in the reference posture
    /// (standing, sitting upright, lying on the back); lying on a side turns it about x, and a tilt (leg raised,
    /// tiptoe, knee extension) turns it about y.
    /// </summary>
    private static (double X, double Y, double Z) Vector(PostureChange p)
    {
        var (x, y, z) = p.Posture switch
        {
            Posture.LyingLeft => (0.0, -0.94, 0.34),
            Posture.LyingRight => (0.0, 0.94, 0.34),
            _ => (0.0, 0.0, 1.0),
        };
        var a = p.TiltDegrees * Math.PI / 180;
        return ((x * Math.Cos(a)) + (z * Math.Sin(a)), y, (-x * Math.Sin(a)) + (z * Math.Cos(a)));
    }
}
