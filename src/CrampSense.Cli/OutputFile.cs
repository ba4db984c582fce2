using System.Text;

namespace CrampSense.Cli;

/// <summary>
/// Writes a command's output file so that it appears whole or not at all: the content goes to
/// <c>name.partial</c> beside it and is renamed over the target only when writing succeeded, so a failed or
/// interrupted run leaves neither a half-written file nor a stale <c>.partial</c>, and an existing file is kept.
/// Text is UTF-8 without a byte-order mark, with LF line ends, on every platform. A target that cannot be written is
/// found before any work is done and reported as <see cref="CliInputException"/> naming the option, the path the user
/// gave (never the temporary one) and the cause.
/// </summary>
internal static class OutputFile
{
    private const string TemporarySuffix = ".partial";

    /// <summary>Writes the text <paramref name="write"/> produces to <paramref name="path"/> (given with <paramref name="option"/>) and returns its result.</summary>
    public static T WriteText<T>(string option, string path, Func<TextWriter, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Replace(option, path, temporary =>
        {
            using var text = new StreamWriter(temporary, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            return write(text);
        });
    }

    /// <inheritdoc cref="WriteText{T}(string, string, Func{TextWriter, T})"/>
    public static void WriteText(string option, string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteText(option, path, text =>
        {
            write(text);
            return 0;
        });
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> (given with <paramref name="option"/>).</summary>
    public static void WriteBytes(string option, string path, byte[] bytes) => Replace(option, path, temporary =>
    {
        File.WriteAllBytes(temporary, bytes);
        return 0;
    });

    /// <summary>
    /// A text file written as the command goes (e.g. events while a long replay runs), so not all-or-nothing; the
    /// same checks and messages as the other writers.
    /// </summary>
    public static StreamWriter OpenText(string option, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(option, path, e);
        }
    }

    /// <summary>
    /// Fails now, with the message of <see cref="CannotWrite"/>, when <paramref name="path"/> cannot be written: for
    /// commands that do long work (a replay) before they write. Leaves nothing behind.
    /// </summary>
    public static void EnsureWritable(string option, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + TemporarySuffix;
        try
        {
            File.Create(temporary).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(option, path, e);
        }

        File.Delete(temporary);
    }

    /// <summary>
    /// The error for <paramref name="path"/> that cannot be created: names the option, the path and the real cause
    /// (a missing folder, a folder that is a file, no permission, a system folder that takes no files, a read-only disk).
    /// </summary>
    internal static CliInputException CannotWrite(string option, string path, Exception e)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        string cause = e switch
        {
            _ when Directory.Exists(path) => "it is a folder; give a file name",
            _ when File.Exists(folder) => $"'{folder}' is a file, not a folder",
            _ when !Directory.Exists(folder) => $"folder '{folder}' does not exist",
            UnauthorizedAccessException => $"no permission to create files in '{folder}'",

            // ENOENT on create in an existing folder: a virtual file system such as /proc or /sys.
            FileNotFoundException => $"folder '{folder}' does not accept new files (a system folder)",
            _ => e.Message.Replace(path + TemporarySuffix, path, StringComparison.Ordinal),
        };
        return new CliInputException($"{option}: cannot write '{path}': {cause}", e);
    }

    private static T Replace<T>(string option, string path, Func<string, T> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + TemporarySuffix;
        try
        {
            // Check the target first, so an unwritable one fails before the work (a long simulation) and with its own
            // cause; exceptions from write itself (its input files) are not about the output.
            EnsureWritable(option, path);

            var result = write(temporary);
            try
            {
                File.Move(temporary, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CannotWrite(option, path, e);
            }

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
