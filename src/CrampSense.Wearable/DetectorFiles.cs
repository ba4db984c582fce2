using CrampSense.Detection.Calibration;
using CrampSense.Detection.Model;

namespace CrampSense.Wearable;

/// <summary>
/// Where the detector's model and the wearer's calibration profile come from, for the service (<c>Detection:ModelPath</c>,
/// <c>Detection:ProfilePath</c>) and the desktop tool (<c>--model</c>, <c>--profile</c>): a file, or the model built into
/// the program. One loader, so a missing, unreadable or malformed file gets the same clear message everywhere, naming the
/// setting or option, the path and the cause.
/// </summary>
public static class DetectorFiles
{
    /// <summary>Logical name of the model built into the programs (models/crampsense-detector.zip).</summary>
    public const string EmbeddedModelName = "crampsense-detector.zip";

    /// <summary>Loads the model at <paramref name="path"/>, or the built-in one from <paramref name="embedded"/> when null.</summary>
    /// <param name="path">A model zip, or null for the built-in model.</param>
    /// <param name="setting">The setting or option that named <paramref name="path"/> (for messages), e.g. <c>--model</c>.</param>
    /// <param name="embedded">Opens the built-in model (the program's manifest resource), or returns null when it has none.</param>
    /// <exception cref="DetectorFileException">The file is missing, unreadable or not a CrampSense model.</exception>
    public static CrampModel LoadModel(string? path, string setting, Func<Stream?> embedded) =>
        Parse(ReadModelBytes(path, setting, embedded), path, setting);

    /// <summary>The model's bytes (a program that scores on several threads loads one model per thread from them).</summary>
    /// <exception cref="DetectorFileException">The file is missing or unreadable, or there is no built-in model.</exception>
    public static byte[] ReadModelBytes(string? path, string setting, Func<Stream?> embedded)
    {
        ArgumentNullException.ThrowIfNull(embedded);
        if (path is null)
        {
            using var stream = embedded()
                ?? throw new DetectorFileException($"{setting}: no model is built into this program; give one with {setting}.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }

        return Read(path, setting, "model", File.ReadAllBytes);
    }

    /// <summary>Checks that <paramref name="bytes"/> (from <see cref="ReadModelBytes"/>) are a CrampSense model.</summary>
    /// <exception cref="DetectorFileException">They are not.</exception>
    public static CrampModel Parse(byte[] bytes, string? path, string setting)
    {
        try
        {
            return CrampModel.Load(bytes, path is null ? null : Path.GetFileNameWithoutExtension(path));
        }
        catch (InvalidDataException e)
        {
            throw new DetectorFileException($"{setting}: '{path ?? EmbeddedModelName}' is not a CrampSense model: {e.Message}", e);
        }
    }

    /// <summary>Loads the calibration profile at <paramref name="path"/>, or returns null when there is none.</summary>
    /// <exception cref="DetectorFileException">The file is missing, unreadable or not a valid profile.</exception>
    public static PersonalProfile? LoadProfile(string? path, string setting)
    {
        if (path is null)
        {
            return null;
        }

        var text = Read(path, setting, "profile", File.ReadAllText);
        try
        {
            return PersonalProfile.Load(new StringReader(text), path);
        }
        catch (FormatException e)
        {
            throw new DetectorFileException($"{setting}: {e.Message}", e);
        }
    }

    private static T Read<T>(string path, string setting, string what, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DetectorFileException($"{setting}: {what} file '{path}' not found.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DetectorFileException($"{setting}: cannot read the {what} file '{path}': {e.Message}", e);
        }
    }
}

/// <summary>A model or profile file that cannot be used; the message names the setting or option, the path and why.</summary>
public sealed class DetectorFileException : Exception
{
    public DetectorFileException()
    {
    }

    public DetectorFileException(string message)
        : base(message)
    {
    }

    public DetectorFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
