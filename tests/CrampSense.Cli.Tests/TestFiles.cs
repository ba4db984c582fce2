using CrampSense.Cli.Import;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Tests;

/// <summary>The real-EMG slices copied beside the tests, a scratch directory, and a read-back helper.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("crampsense-tests-").FullName;
    }

    /// <summary>A scratch directory, deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now (for a broker a test starts).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Path of a slice under tests/data/emg (copied to the output directory).</summary>
    public static string Slice(string relativePath) => Path.Combine(AppContext.BaseDirectory, "data", "emg", relativePath);

    /// <summary>Writes <paramref name="content"/> to a scratch file and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Imports and reads the recording back with the real reader.</summary>
    public static (ImportResult Result, RecordingReader Reader, List<(double T, float[] Emg)> Rows) ImportAndRead(RecordingImporter importer, string path, string? site = null)
    {
        var text = new StringWriter();
        var result = importer.Import(new ImportRequest(path, site), text);
        var reader = new RecordingReader(new StringReader(text.ToString()), "imported.csv");
        var frame = reader.Layout.CreateFrame();
        var rows = new List<(double, float[])>();
        while (reader.TryReadFrame(frame))
        {
            rows.Add((frame.TimeSeconds, (float[])frame.EmgMillivolts.Clone()));
        }

        return (result, reader, rows);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
