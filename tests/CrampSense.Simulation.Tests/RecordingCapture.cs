using CrampSense.Signals.Recordings;

namespace CrampSense.Simulation.Tests;

/// <summary>A whole (short) simulated recording held in arrays, for statistics in tests.</summary>
internal sealed class RecordingCapture
{
    private RecordingCapture(SimulatedRecording recording, float[][] emg, List<(double T, float Celsius)> temperature, List<(double T, float X, float Y, float Z)> acceleration)
    {
        Recording = recording;
        Emg = emg;
        Temperature = temperature;
        Acceleration = acceleration;
    }

    public SimulatedRecording Recording { get; }

    public RecordingLayout Layout => Recording.Layout;

    public double SampleRateHz => Recording.Layout.SampleRateHz;

    /// <summary>EMG per site, mV.</summary>
    public float[][] Emg { get; }

    public List<(double T, float Celsius)> Temperature { get; }

    public List<(double T, float X, float Y, float Z)> Acceleration { get; }

    public static RecordingCapture Run(SimulationRequest request, Action<SimulatedRecording>? beforeReading = null)
    {
        var recording = Simulator.Start(request);
        beforeReading?.Invoke(recording);
        var sites = recording.Layout.Sites.Count;
        var emg = new float[sites][];
        for (var s = 0; s < sites; s++)
        {
            emg[s] = new float[recording.TotalFrames];
        }

        var temperature = new List<(double, float)>();
        var acceleration = new List<(double, float, float, float)>();
        var frame = recording.Layout.CreateFrame();
        long i = 0;
        while (recording.TryReadFrame(frame))
        {
            for (var s = 0; s < sites; s++)
            {
                emg[s][i] = frame.EmgMillivolts[s];
            }

            if (frame.HasSkinTemperature)
            {
                temperature.Add((frame.TimeSeconds, frame.SkinTemperatureCelsius));
            }

            if (frame.HasAcceleration)
            {
                acceleration.Add((frame.TimeSeconds, frame.AccelerationXG, frame.AccelerationYG, frame.AccelerationZG));
            }

            i++;
        }

        return new RecordingCapture(recording, emg, temperature, acceleration);
    }

    private readonly Dictionary<int, double[]> _highPassed = [];

    public int SiteIndex(string site) => Layout.Sites.ToList().IndexOf(site);

    /// <summary>Samples of <paramref name="site"/> between two times, high-passed at 20 Hz (as the detector's band-pass would).</summary>
    public double[] Segment(int site, double startSeconds, double endSeconds, bool highPass = true)
    {
        double[] signal;
        if (!highPass)
        {
            signal = Emg[site].Select(v => (double)v).ToArray();
        }
        else if (!_highPassed.TryGetValue(site, out signal!))
        {
            signal = Dsp.HighPass(Emg[site], SampleRateHz, 20);
            _highPassed[site] = signal;
        }
        var a = (int)Math.Max(0, startSeconds * SampleRateHz);
        var b = (int)Math.Min(signal.Length, endSeconds * SampleRateHz);
        return signal[a..b];
    }

    /// <summary>RMS in µV of the high-passed signal between two times.</summary>
    public double RmsMicrovolts(int site, double startSeconds, double endSeconds) => Dsp.Rms(Segment(site, startSeconds, endSeconds)) * 1000;
}
