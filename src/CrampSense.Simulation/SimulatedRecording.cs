using CrampSense.Signals.Recordings;
using CrampSense.Simulation.Physiology;
using CrampSense.Simulation.Planning;
using CrampSense.Simulation.Rendering;

namespace CrampSense.Simulation;

/// <summary>
/// A recording being simulated. The truth is planned before any sample is rendered; the samples are rendered
/// in short blocks as <see cref="TryReadFrame"/> asks for them, so hours never sit in memory.
/// Not thread-safe: read it from one thread.
/// </summary>
public sealed class SimulatedRecording
{
    private readonly SimulationPlan _plan;
    private readonly double _sampleRateHz;
    private readonly RecordingFrontEnd _frontEnd;
    private readonly double _accelerationRateHz;
    private readonly int _siteCount;
    private readonly int _blockLength;
    private readonly SiteRenderer[] _renderers;
    private readonly BodyModel _body;
    private readonly float[][] _muscle;
    private readonly float[][] _output;
    private readonly double[] _hum;
    private readonly long _clockFrames;
    private readonly (long First, long End)[] _dropouts;
    private int _dropoutCursor;
    private long _blockStart;
    private int _blockPosition;
    private long _index;
    private long _temperatureCount;
    private long _nextTemperatureRow;
    private long _accelerationCount;
    private long _nextAccelerationRow;
    private double _mainsPhase;

    internal SimulatedRecording(RecordingLayout layout, SubjectParameters subject, SimulationPlan plan, RecordingFrontEnd frontEnd, SimulationEngine engine, int seed)
    {
        Layout = layout;
        Subject = subject;
        _plan = plan;
        _sampleRateHz = layout.SampleRateHz;
        _frontEnd = frontEnd;
        FrontEnd = frontEnd;
        Engine = engine;
        _accelerationRateHz = frontEnd.AccelerationRateHz > 0 ? Math.Min(frontEnd.AccelerationRateHz, _sampleRateHz) : _sampleRateHz;
        _siteCount = layout.Sites.Count;
        Truth = plan.Truth.OrderBy(t => t.StartSeconds).ThenBy(t => t.Site, StringComparer.Ordinal).ToArray();
        _clockFrames = (long)Math.Round(plan.DurationSeconds * _sampleRateHz);
        _dropouts = [.. plan.Dropouts.Select(d => (First: (long)Math.Ceiling(d.Start * _sampleRateHz), End: Math.Min(_clockFrames, (long)Math.Ceiling(d.End * _sampleRateHz))))];
        TotalFrames = _clockFrames - _dropouts.Sum(d => d.End - d.First);

        // Half a second per block: short enough to stay in cache, long enough to amortise the per-block work.
        _blockLength = Math.Max(64, (int)(_sampleRateHz / 2));
        _renderers = new SiteRenderer[_siteCount];
        for (var s = 0; s < _siteCount; s++)
        {
            _renderers[s] = new SiteRenderer(s, subject.Sites[s], subject.VoluntaryIsiCv, plan, frontEnd, engine, _sampleRateHz, _blockLength, SimulationRandom.ForStream(seed, 100 + (ulong)s));
        }

        _body = new BodyModel(plan, subject.BaselineSkinCelsius, frontEnd.AccelerationNoiseG, SimulationRandom.ForStream(seed, 10));
        _muscle = new float[_siteCount][];
        _output = new float[_siteCount][];
        for (var s = 0; s < _siteCount; s++)
        {
            _output[s] = new float[_blockLength];
        }

        _hum = new double[_blockLength];
        _blockPosition = _blockLength;
        _blockStart = -_blockLength;
    }

    /// <summary>Sample rate, sites, slow-signal columns and metadata (scenario, seed, subject parameters).</summary>
    public RecordingLayout Layout { get; }

    /// <summary>Ground truth, sorted by start time; known before any frame is read.</summary>
    public IReadOnlyList<TruthInterval> Truth { get; }

    /// <summary>The simulated person.</summary>
    public SubjectParameters Subject { get; }

    /// <summary>The acquisition chain (hum, ADC, accelerometer, skin temperature), fixed or randomised.</summary>
    public RecordingFrontEnd FrontEnd { get; }

    /// <summary>The engine that renders the EMG.</summary>
    public SimulationEngine Engine { get; }

    /// <summary>Number of rows (frames) in the recording (fewer than duration × rate when samples are dropped).</summary>
    public long TotalFrames { get; }

    /// <summary>Length of the recording.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(_plan.DurationSeconds);

    /// <summary>Test hook: site index, unit, time in seconds and kind of every motor-unit discharge.</summary>
    internal Action<int, int, double, DischargeKind>? DischargeObserver
    {
        set
        {
            for (var s = 0; s < _siteCount; s++)
            {
                var site = s;
                if (_renderers[s].Pool is not { } pool)
                {
                    continue; // the stochastic engine has no discharges
                }

                pool.Observer = value is null ? null : (unit, samples, kind) => value(site, unit, samples / _sampleRateHz, kind);
                _renderers[s].ExtraObserver = pool.Observer;
            }
        }
    }

    internal SimulationPlan Plan => _plan;

    /// <summary>
    /// Fills <paramref name="frame"/> (sized for <see cref="Layout"/>) with the next row; false at the end.
    /// Skin temperature (when the layout has it) is set on the first row of each second, acceleration at the front
    /// end's rate (50 Hz unless randomised).
    /// </summary>
    public bool TryReadFrame(RecordingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.EmgMillivolts.Length != _siteCount)
        {
            throw new ArgumentException($"Frame has {frame.EmgMillivolts.Length} EMG sites; this recording has {_siteCount}.", nameof(frame));
        }

        // Dropped rows are rendered (the physiology goes on) but not returned.
        while (_dropoutCursor < _dropouts.Length && _index >= _dropouts[_dropoutCursor].First)
        {
            var end = _dropouts[_dropoutCursor++].End;
            while (_index < end)
            {
                if (_blockPosition >= _blockLength)
                {
                    RenderBlock();
                }

                var skip = Math.Min(end - _index, _blockLength - _blockPosition);
                _index += skip;
                _blockPosition += (int)skip;
            }

        }

        if (_index >= _clockFrames)
        {
            return false;
        }

        if (_blockPosition >= _blockLength)
        {
            RenderBlock();
        }

        var t = _index / _sampleRateHz;
        frame.TimeSeconds = t;
        for (var s = 0; s < _siteCount; s++)
        {
            frame.EmgMillivolts[s] = _output[s][_blockPosition];
        }

        frame.ClearSlowSignals();
        // ">=" so that a slow sample due inside a gap arrives on the first row after it.
        if (Layout.HasSkinTemperature && _index >= _nextTemperatureRow)
        {
            frame.HasSkinTemperature = true;
            frame.SkinTemperatureCelsius = _body.MeasuredSkinCelsius(t);
            do
            {
                _temperatureCount++;
                _nextTemperatureRow = (long)Math.Ceiling((_temperatureCount * _sampleRateHz) - 1e-6);
            }
            while (_nextTemperatureRow <= _index);
        }

        if (_index >= _nextAccelerationRow)
        {
            var (x, y, z) = _body.Acceleration(t);
            frame.HasAcceleration = true;
            frame.AccelerationXG = x;
            frame.AccelerationYG = y;
            frame.AccelerationZG = z;
            do
            {
                _accelerationCount++;
                _nextAccelerationRow = (long)Math.Ceiling((_accelerationCount * _sampleRateHz / _accelerationRateHz) - 1e-6);
            }
            while (_nextAccelerationRow <= _index);
        }

        _index++;
        _blockPosition++;
        return true;
    }

    private void RenderBlock()
    {
        _blockStart += _blockLength;
        _blockPosition = 0;
        var blockTime = _blockStart / _sampleRateHz;
        var coldScale = 1 + (PhysiologyConstants.MuapWidthPerDegreeCold * Math.Max(0, PhysiologyConstants.ThermoneutralSkinCelsius - _body.SkinCelsius(blockTime)));

        var third = _frontEnd.ThirdHarmonicFraction;
        var fifth = _frontEnd.FifthHarmonicFraction;
        var drift = _frontEnd.MainsDriftHz;
        for (var k = 0; k < _blockLength; k++)
        {
            // Mains hum: fundamental plus odd harmonics, common to all sites (coupling differs per site). A drifting
            // grid frequency is integrated into the phase; without drift the phase is computed directly (as always).
            double phase;
            if (drift == 0)
            {
                phase = 2 * Math.PI * _frontEnd.MainsHz * (_blockStart + k) / _sampleRateHz;
            }
            else
            {
                var t = (_blockStart + k) / _sampleRateHz;
                var frequency = _frontEnd.MainsHz + (drift * Math.Sin(2 * Math.PI * t / _frontEnd.MainsDriftPeriodSeconds));
                phase = _mainsPhase;
                _mainsPhase = (_mainsPhase + (2 * Math.PI * frequency / _sampleRateHz)) % (2 * Math.PI);
            }

            _hum[k] = Math.Sin(phase) + (third * Math.Sin((3 * phase) + 0.5)) + (fifth * Math.Sin((5 * phase) + 1.1));
        }

        for (var s = 0; s < _siteCount; s++)
        {
            _muscle[s] = _renderers[s].RenderMuscle(_blockStart, coldScale);
        }

        for (var s = 0; s < _siteCount; s++)
        {
            _renderers[s].Finish(_blockStart, _muscle, _hum, _output[s]);
        }
    }
}
