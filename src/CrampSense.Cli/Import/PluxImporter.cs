using System.Globalization;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Import;

/// <summary>
/// PLUX biosignalsnotebooks EMG samples as CSV: <c>sample,time_s,adc,emg_mV</c> at 1000 Hz, where emg_mV is the
/// ADC value through the PLUX EMG transfer function (../shared/data/emg/plux-biosignalsnotebooks/README.md).
/// </summary>
internal sealed class PluxImporter : RecordingImporter
{
    /// <summary>OpenSignals sample rate of all three files (README; *_info.json "Sample Rate").</summary>
    public const double SampleRateHz = 1000;

    /// <summary>PLUX EMG sensor supply and gain (biosignalsnotebooks "unit_conversion_emg"; README "Columns").</summary>
    public const double VccMillivolts = 3000, Gain = 1000;

    private static readonly string[] Header = ["sample", "time_s", "adc", "emg_mV"];
    private static readonly int[] CandidateBits = [12, 16];
    private static readonly string HeaderText = string.Join(',', Header);

    public override string Format => "plux";

    public override string Description => "PLUX biosignalsnotebooks emg_*.csv (sample,time_s,adc,emg_mV; 1 channel, 1000 Hz)";

    /// <summary>The PLUX transfer function: EMG_mV = ((adc / 2^bits) - 0.5) * VCC / G.</summary>
    public static double AdcToMillivolts(double adc, int bits) => ((adc / Math.Pow(2, bits)) - 0.5) * VccMillivolts / Gain;

    public override ImportResult Import(ImportRequest request, TextWriter output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var fileName = Path.GetFileNameWithoutExtension(request.SourcePath);
        var site = SiteOrDefault(request, fileName.Contains("adductor_pollicis", StringComparison.Ordinal) ? "adductor_pollicis"
            : fileName.Contains("biceps", StringComparison.Ordinal) ? "biceps" : "emg");

        using var lines = new SourceLines(request.SourcePath, progress);
        lines.ExpectHeader(Header, "PLUX CSV");
        Span<Range> cells = stackalloc Range[Header.Length];
        var first = lines.ReadLine() ?? throw lines.ErrorWithoutLine("the file has a header but no data rows");
        lines.Split(first, ',', cells, HeaderText);
        var firstAdc = lines.ParseDouble(first.AsSpan()[cells[2]], "adc");
        var firstMv = lines.ParseDouble(first.AsSpan()[cells[3]], "emg_mV");

        // Which resolution the emg_mV column was converted with (README: 12-bit fatigue file, 16-bit others).
        int? bits = CandidateBits.Cast<int?>().FirstOrDefault(b => Math.Abs(AdcToMillivolts(firstAdc, b!.Value) - firstMv) < 1e-5);
        var notes = new List<string> { "values are the source's emg_mV column unchanged" };
        if (bits is null)
        {
            notes.Add("emg_mV does not match the PLUX transfer function for a 12- or 16-bit ADC on the first row");
        }

        var metadata = CommonMetadata(
            request.SourcePath,
            SampleRateHz,
            $"NOMINAL gain: emg_mV = ((adc/2^{bits?.ToString(CultureInfo.InvariantCulture) ?? "n"}) - 0.5) x 3000 mV / 1000, the PLUX EMG transfer function assuming the standard gain-1000 EMG sensor (not verified per file)",
            "MIT (Copyright (c) 2018 biosignalsnotebooks; opensignalstool developers and PLUX Wireless Biosignals)",
            "biosignalsnotebooks, PLUX Wireless Biosignals S.A., https://github.com/pluxbiosignals/biosignalsnotebooks");
        if (bits is not null)
        {
            metadata["adc_bits"] = bits.Value.ToString(CultureInfo.InvariantCulture);
        }

        metadata["note"] = string.Join("; ", notes);
        var layout = new RecordingLayout(SampleRateHz, [site], hasSkinTemperature: false, hasAcceleration: false, metadata);
        var writer = new RecordingWriter(output, layout);
        var frame = layout.CreateFrame();
        long? previousSample = null;
        for (var line = first; line is not null; line = lines.ReadLine())
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            lines.Split(line, ',', cells, HeaderText);
            WriteCountedRow(lines, line, cells, 3, SampleRateHz, frame, writer, ref previousSample);
        }

        return new ImportResult(layout, writer.RowsWritten, null, notes);
    }
}
