using System.Text;

namespace CrampSense.Cli;

/// <summary>
/// Writes a command's output file so that it appears whole or not at all: the content goes to
/// <c>name.partial</c> beside it and is renamed over the target only when writing succeeded, so a failed or
/// interrupted run leaves neither a half-written file nor a stale <c>.partial</c>, and an existing file is kept.
/// Text is UTF-8 without a byte-order mark, with LF line ends, on every platform.
/// </summary>
internal static class OutputFile
{
    /// <summary>Writes the text <paramref name="write"/> produces to <paramref name="path"/> and returns its result.</summary>
    public static T WriteText<T>(string path, Func<TextWriter, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Replace(path, temporary =>
        {
            using var text = new StreamWriter(temporary, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            return write(text);
        });
    }

    /// <inheritdoc cref="WriteText{T}(string, Func{TextWriter, T})"/>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteText(path, text =>
        {
            write(text);
            return 0;
        });
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes) => Replace(path, temporary =>
    {
        File.WriteAllBytes(temporary, bytes);
        return 0;
    });

    private static T Replace<T>(string path, Func<string, T> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + ".partial";
        try
        {
            var result = write(temporary);
            File.Move(temporary, path, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
