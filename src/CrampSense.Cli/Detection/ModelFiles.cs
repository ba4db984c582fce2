using System.Reflection;
using CrampSense.Detection.Calibration;
using CrampSense.Detection.Model;
using CrampSense.Wearable;

namespace CrampSense.Cli.Detection;

/// <summary>
/// The tool's <c>--model</c> and <c>--profile</c>: a file, or the model embedded in the tool, loaded by the wearable's
/// <see cref="DetectorFiles"/> (the service loads its settings' files the same way); its errors become input errors.
/// </summary>
internal static class ModelFiles
{
    /// <summary>Logical name of the embedded default model (models/crampsense-detector.zip).</summary>
    public const string EmbeddedName = DetectorFiles.EmbeddedModelName;

    /// <summary>Loads <paramref name="path"/>, or the embedded default when null.</summary>
    public static CrampModel Load(string? path) => AsInputError(() => DetectorFiles.LoadModel(path, "--model", Embedded));

    /// <summary>The bytes of the model (for one engine per worker thread).</summary>
    public static byte[] ReadBytes(string? path) => AsInputError(() => DetectorFiles.ReadModelBytes(path, "--model", Embedded));

    /// <summary>Checks that <paramref name="bytes"/> (from <see cref="ReadBytes"/>) are a model, naming <c>--model</c> otherwise.</summary>
    public static CrampModel Parse(byte[] bytes, string? path) => AsInputError(() => DetectorFiles.Parse(bytes, path, "--model"));

    /// <summary>Loads the <c>--profile</c> file, or returns null without one.</summary>
    public static PersonalProfile? LoadProfile(string? path) => AsInputError(() => DetectorFiles.LoadProfile(path, "--profile"));

    private static Stream? Embedded() => Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName);

    private static T AsInputError<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (DetectorFileException e)
        {
            throw new CliInputException(e.Message, e);
        }
    }
}
