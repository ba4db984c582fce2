using System.Globalization;
using System.Text;

namespace CrampSense.Testing.Signals;

/// <summary>
/// Seeded mutations of a small valid recording for the fuzz tests of the reader and of <c>crampsense replay</c>
/// and <c>plot</c> (compiled into both test projects): out-of-range and malformed sample rates, inferred rates
/// from squeezed or stretched times, hostile cells (1e39, NaN, 1 MB numbers), broken headers and metadata, rows
/// reordered, repeated or 1e-7 s apart, truncation and stray characters. One to three mutations per file.
/// </summary>
public static class RecordingMutator
{
    private static readonly string[] Rates = ["3", "0.001", "1e-9", "1e308", "1e9", "99.99", "100", "20000", "20000.5", "0", "-1000", "NaN", "1e400", "fast", "", "1000 1000", "4000", "5e-324"];

    private static readonly string[] Cells = ["1e39", "-1e39", "3.4028236e38", "1e308", "1e-320", "NaN", "-Infinity", "", " ", "abc", "0x10", "1,5", "--1", "1e", "٣", "\"1\"", "1e400"];

    private static readonly string[] Headers = ["t_s,emg.calf", "time,emg.calf", "t_s", "t_s,emg.calf,emg.calf", "t_s,emg.Calf", "t_s,emg.", "t_s,heart", "t_s,emg.calf,acc.x", "t_s,,emg.calf", "t_s,emg.calf,temp.skin,temp.skin", ""];

    /// <summary>The valid recording: 1 kHz, two sites, skin temperature every 100 rows, acceleration every 10.</summary>
    public static List<string> Base(int rows = 1500)
    {
        var lines = new List<string>
        {
            "# crampsense-recording v1 sample_rate_hz=1000 source=fuzz note=\"mutated recording\"",
            "t_s,emg.calf,emg.shin,temp.skin,acc.x,acc.y,acc.z",
        };
        for (var n = 0; n < rows; n++)
        {
            var temp = n % 100 == 0 ? "31.5" : string.Empty;
            var acc = n % 10 == 0 ? "0.01,-0.02,0.98" : ",,";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{n / 1000.0:0.000},{0.05 * Math.Sin(n * 0.3):0.#####},{0.02 * Math.Cos(n * 0.7):0.#####},{temp},{acc}"));
        }

        return lines;
    }

    /// <summary>A mutated copy of <see cref="Base"/> as file text.</summary>
    public static string Mutate(Random random)
    {
        var lines = Base();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(lines, random);
        }

        var text = string.Join('\n', lines) + "\n";
        if (random.Next(10) == 0)
        {
            text = text[..random.Next(text.Length)]; // truncated anywhere, also inside a line
        }

        return text;
    }

    private static void MutateOnce(List<string> lines, Random random)
    {
        if (lines.Count == 0)
        {
            lines.Add(string.Empty); // an earlier mutation cut everything
        }

        int Row() => random.Next(lines.Count);
        switch (random.Next(11))
        {
            case 0: // the declared rate
                lines[0] = $"# crampsense-recording v1 sample_rate_hz={Pick(Rates, random)}";
                break;
            case 1: // no comment line: the rate is inferred from times squeezed or stretched
                lines.RemoveAt(0);
                var scale = Math.Pow(10, random.Next(-9, 300));
                for (var r = 1; r < lines.Count; r++)
                {
                    var comma = lines[r].IndexOf(',', StringComparison.Ordinal);
                    if (comma > 0 && double.TryParse(lines[r][..comma], CultureInfo.InvariantCulture, out var t))
                    {
                        lines[r] = (t * scale).ToString("R", CultureInfo.InvariantCulture) + lines[r][comma..];
                    }
                }

                break;
            case 2: // one cell
            {
                var r = Row();
                var cells = lines[r].Split(',');
                cells[random.Next(cells.Length)] = Pick(Cells, random);
                lines[r] = string.Join(',', cells);
                break;
            }

            case 3: // the header
                lines[Math.Min(1, lines.Count - 1)] = Pick(Headers, random);
                break;
            case 4: // a repeated, a removed or two swapped rows
            {
                var r = Math.Max(2, Row());
                if (r >= lines.Count)
                {
                    break;
                }

                switch (random.Next(3))
                {
                    case 0:
                        lines.Insert(r, lines[r]);
                        break;
                    case 1:
                        lines.RemoveAt(r);
                        break;
                    default:
                        var other = Math.Max(2, Row());
                        (lines[r], lines[other]) = (lines[other], lines[r]);
                        break;
                }

                break;
            }

            case 5: // rows 1e-7 s apart from some row on
            {
                var from = Math.Max(2, Row());
                for (var r = from; r < lines.Count; r++)
                {
                    var comma = lines[r].IndexOf(',', StringComparison.Ordinal);
                    if (comma > 0)
                    {
                        lines[r] = (((r - from) * 1e-7) + 0.5).ToString("R", CultureInfo.InvariantCulture) + lines[r][comma..];
                    }
                }

                break;
            }

            case 6: // stray characters
            {
                var r = Row();
                var at = random.Next(lines[r].Length + 1);
                var stray = Pick(["\0", "\uFFFD", ",", ",,", "\"", "\r", "#", "=", " ", "\t", "e", "-", "\u00A0"], random);
                lines[r] = lines[r].Insert(at, stray);
                break;
            }

            case 7: // a huge cell or header
            {
                var r = Row();
                lines[r] += "," + new string(random.Next(2) == 0 ? '9' : 'x', 1_000_000);
                break;
            }

            case 8: // metadata
                lines[0] = lines[0] + " " + Pick(["source=again", "k=\"unclosed", "=x", "9key=1", "key", "big=" + new string('v', 100_000), new string('k', 100_000) + "=1", "sample_rate_hz=1000"], random);
                break;
            case 9: // blank lines and CRLF
                lines.Insert(Row(), random.Next(2) == 0 ? string.Empty : "\r");
                break;
            default: // everything after some row removed: few rows (fewer than the detector's first window)
                var keep = random.Next(0, 40);
                if (keep < lines.Count)
                {
                    lines.RemoveRange(keep, lines.Count - keep);
                }

                break;
        }
    }

    private static string Pick(string[] choices, Random random) => choices[random.Next(choices.Length)];

    /// <summary>Number of characters past which an error message counts as echoing too much input.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>For the tests' failure messages: the first characters of a mutated file.</summary>
    public static string Preview(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Take(300))
        {
            builder.Append(char.IsControl(c) && c != '\n' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }
}
