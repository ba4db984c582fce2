using System.Globalization;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Import;

/// <summary>
/// BioSPPy example signals in "Simple Text Format": four '#' header lines (sampling rate, resolution, labels),
/// then one raw ADC value per line (../shared/data/emg/biosppy-examples/README.md).
/// </summary>
internal sealed class BiosppyImporter : RecordingImporter
{
    /// <summary>
    /// Nominal PLUX/BITalino-style EMG transfer function, mV = (adc/2^bits − 0.5)·VCC/G with VCC = 3000 mV and
    /// G = 1000 (README "Units": the device is not documented, so this scaling is unverified).
    /// </summary>
    public const double VccMillivolts = 3000, Gain = 1000;

    public override string Format => "biosppy";

    public override string Description => "BioSPPy example emg*.txt ('# Simple Text Format', raw 12-bit ADC values; scaling nominal)";

    public static double AdcToMillivolts(double adc, int bits) => ((adc / Math.Pow(2, bits)) - 0.5) * VccMillivolts / Gain;

    public override ImportResult Import(ImportRequest request, TextWriter output, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var site = SiteOrDefault(request, "emg");
        using var lines = new SourceLines(request.SourcePath, progress);
        var first = lines.ReadLine() ?? throw lines.ErrorWithoutLine("the file is empty: expected '# Simple Text Format'");
        if (first.Trim() != "# Simple Text Format")
        {
            throw lines.Error(null, $"expected '# Simple Text Format' (BioSPPy text header), found '{SourceLines.Shorten(first)}' (is this the right format?)");
        }

        double? rate = null;
        int? bits = null;
        string? line;
        while ((line = lines.ReadLine()) is not null && line.StartsWith('#'))
        {
            var separator = line.IndexOf(":=", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var key = line[1..separator].Trim();
            var value = line.AsSpan(separator + 2);
            if (key == "Sampling Rate (Hz)")
            {
                rate = lines.ParseSampleRate(value, "Sampling Rate (Hz)");
            }
            else if (key == "Resolution")
            {
                var resolution = lines.ParseInteger(value, "Resolution");
                if (resolution is < 1 or > 24)
                {
                    throw lines.Error("Resolution", $"{resolution} bits is not a plausible ADC resolution");
                }

                bits = (int)resolution;
            }
        }

        if (rate is null || bits is null)
        {
            throw new RecordingFormatException(lines.Name, lines.LineNumber, null, "the header lacks '# Sampling Rate (Hz):=' or '# Resolution:='");
        }

        var notes = new List<string> { "muscle and acquisition device are not documented; site name is generic" };
        var metadata = CommonMetadata(
            request.SourcePath,
            rate.Value,
            FormattableString.Invariant($"NOMINAL, UNVERIFIED: mV = (adc/2^{bits} - 0.5) x 3000 mV / 1000, assuming a PLUX/BITalino-style EMG sensor with gain 1000 (about {(AdcToMillivolts(1, bits.Value) - AdcToMillivolts(0, bits.Value)) * 1000:0.###} uV per count)"),
            "BSD-3-Clause (Copyright (c) 2015 Instituto de Telecomunicacoes)",
            "Carreiras C. et al., BioSPPy: Biosignal Processing in Python, 2015-, https://github.com/PIA-Group/BioSPPy");
        metadata["adc_bits"] = bits.Value.ToString(CultureInfo.InvariantCulture);
        metadata["note"] = string.Join("; ", notes);
        var layout = new RecordingLayout(rate.Value, [site], hasSkinTemperature: false, hasAcceleration: false, metadata);
        var writer = new RecordingWriter(output, layout);
        var frame = layout.CreateFrame();
        var maxAdc = Math.Pow(2, bits.Value) - 1;
        var n = 0L;
        var duplicates = new DuplicateBlockFinder(rate.Value, site);
        for (; line is not null; line = lines.ReadLine())
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var adc = lines.ParseDouble(line, "EMG");
            if (adc < 0 || adc > maxAdc)
            {
                throw lines.Error("EMG", $"ADC value {adc.ToString(CultureInfo.InvariantCulture)} is outside 0-{maxAdc.ToString(CultureInfo.InvariantCulture)} for {bits} bits");
            }

            frame.TimeSeconds = n / rate.Value;
            frame.EmgMillivolts[0] = (float)AdcToMillivolts(adc, bits.Value);
            writer.Write(frame);
            duplicates.Add(adc, n);
            n++;
        }

        if (n == 0)
        {
            throw lines.ErrorWithoutLine("the file has a header but no values");
        }

        notes.Add($"{duplicates.Blocks} exactly repeated {DuplicateBlockFinder.BlockLength}-sample blocks (duplicated transmission packets, README 'Known artefact') marked as artifact truth intervals on the repeat");
        return new ImportResult(layout, writer.RowsWritten, new GroundTruth(duplicates.Intervals), notes);
    }
}

/// <summary>
/// Finds places where a block of <see cref="BlockLength"/> samples is immediately repeated exactly, which the
/// BioSPPy README describes as duplicated transmission packets in emg_1.txt (about 288 of them). A constant
/// block is not counted: a flat or railed signal repeats without being a duplicated packet.
/// </summary>
internal sealed class DuplicateBlockFinder(double sampleRateHz, string site)
{
    /// <summary>Packet length seen in the source (README "Known artefact": 20-sample blocks).</summary>
    public const int BlockLength = 20;

    private readonly double[] _recent = new double[2 * BlockLength];

    public List<TruthInterval> Intervals { get; } = [];

    public int Blocks { get; private set; }

    /// <summary>Adds sample <paramref name="index"/>; marks the repeat when the last two blocks are equal.</summary>
    public void Add(double value, long index)
    {
        _recent[index % _recent.Length] = value;
        if (index < _recent.Length - 1)
        {
            return;
        }

        var first = index - (2 * BlockLength) + 1;
        var constant = true;
        for (var k = 0; k < BlockLength; k++)
        {
            var a = _recent[(first + k) % _recent.Length];
            if (a != _recent[(first + BlockLength + k) % _recent.Length])
            {
                return;
            }

            constant &= a == _recent[first % _recent.Length];
        }

        if (constant)
        {
            return;
        }

        Blocks++;
        var start = (first + BlockLength) / sampleRateHz;
        var end = index / sampleRateHz;
        if (Intervals.Count > 0 && Intervals[^1].EndSeconds >= start)
        {
            Intervals[^1] = new TruthInterval(TruthKind.Artifact, site, Intervals[^1].StartSeconds, end);
        }
        else
        {
            Intervals.Add(new TruthInterval(TruthKind.Artifact, site, start, end));
        }
    }
}
