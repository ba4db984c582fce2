namespace CrampSense.Cli.Import;

/// <summary>The importers known to <c>crampsense import</c>, by format name.</summary>
internal static class RecordingImporters
{
    public static IReadOnlyList<RecordingImporter> All { get; } =
    [
        new UciMyoImporter(),
        new UciLowerLimbImporter(),
        new PluxImporter(),
        new PhysioNetImporter(),
        new BiosppyImporter(),
    ];

    public static RecordingImporter? Find(string format) => All.FirstOrDefault(i => i.Format == format);
}
