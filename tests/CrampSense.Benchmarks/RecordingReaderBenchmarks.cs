using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CrampSense.Signals.Recordings;

namespace CrampSense.Benchmarks;

/// <summary>
/// Reading a recording, time per row, 1 and 4 EMG sites at 1 kHz with temperature and accelerometer columns as
/// the simulator writes them: the UTF-8 stream path (files) against the text path (a string per line, as before
/// issue 17). Budget (issue 17): a whole-process replay ≥ 5 M samples/s, so the reader well under 100 ns per row.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*RecordingReader*' --job short
/// </summary>
[MemoryDiagnoser]
public class RecordingReaderBenchmarks
{
    private const int Rows = 50_000;

    private byte[] _utf8 = [];
    private string _text = string.Empty;

    [Params(1, 4)]
    public int Sites { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var sites = string.Join(',', Enumerable.Range(0, Sites).Select(i => $"emg.site{i}"));
        var text = new StringBuilder($"# crampsense-recording v1 sample_rate_hz=1000\nt_s,{sites},temp.skin,acc.x,acc.y,acc.z\n");
        for (var row = 0; row < Rows; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row / 1000.0:F3}");
            for (var s = 0; s < Sites; s++)
            {
                text.Append(CultureInfo.InvariantCulture, $",{(float)((random.NextDouble() - 0.5) * 0.01)}");
            }

            text.Append(row % 10 == 0 ? ",34.00808,-0.0074951304,-0.0068948353,1.0106871\n" : ",,,,\n");
        }

        _text = text.ToString();
        _utf8 = Encoding.UTF8.GetBytes(_text);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public double TextPath() => ReadAll(new RecordingReader(new StringReader(_text), "bench.csv"));

    [Benchmark(OperationsPerInvoke = Rows)]
    public double Utf8StreamPath() => ReadAll(new RecordingReader(new MemoryStream(_utf8, writable: false), "bench.csv"));

    private static double ReadAll(RecordingReader reader)
    {
        using (reader)
        {
            var frame = reader.Layout.CreateFrame();
            double sum = 0;
            while (reader.TryReadFrame(frame))
            {
                sum += frame.EmgMillivolts[0];
            }

            return sum;
        }
    }
}
