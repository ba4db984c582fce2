using Xunit;

namespace CrampSense.Cli.Tests;

public sealed class OutputFileTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void WriteText_Succeeds_ReplacesTheFileWithLfLinesAndNoByteOrderMark()
    {
        var path = _files.Write("out.csv", "old\r\n");

        var result = OutputFile.WriteText("--out", path, text =>
        {
            text.WriteLine("a");
            text.WriteLine("b");
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Equal("a\nb\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void WriteText_Throws_KeepsTheOldFileAndLeavesNoPartialFile()
    {
        var path = _files.Write("keep.csv", "old\n");

        Assert.Throws<InvalidOperationException>(() => OutputFile.WriteText("--out", path, text =>
        {
            text.WriteLine("half");
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void WriteBytes_WritesExactlyTheBytes()
    {
        var path = Path.Combine(_files.Directory, "m.zip");

        OutputFile.WriteBytes("--out", path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("/proc/x.csv", "folder '/proc' does not accept new files")]
    [InlineData("missing-folder/x.csv", "missing-folder' does not exist")]
    public void WriteText_UnwritableTarget_NamesTheOptionThePathGivenAndTheCause(string relative, string cause)
    {
        var path = relative.StartsWith('/') ? relative : Path.Combine(_files.Directory, relative);
        var called = false;

        var error = Assert.Throws<CliInputException>(() => OutputFile.WriteText("--out", path, _ => called = true));

        Assert.StartsWith($"--out: cannot write '{path}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".partial", error.Message, StringComparison.Ordinal);
        Assert.False(called, "the work runs only once the target is known to be writable");
    }

    [Fact]
    public void WriteBytes_TargetIsAFolder_SaysSo()
    {
        var error = Assert.Throws<CliInputException>(() => OutputFile.WriteBytes("--plot", _files.Directory, [1]));

        Assert.Equal($"--plot: cannot write '{_files.Directory}': it is a folder; give a file name", error.Message);
    }

    [Fact]
    public void OpenText_FolderMissing_NamesTheOption()
    {
        var path = Path.Combine(_files.Directory, "nowhere", "w.csv");

        var error = Assert.Throws<CliInputException>(() => OutputFile.OpenText("--windows", path));

        Assert.StartsWith($"--windows: cannot write '{path}': folder '", error.Message, StringComparison.Ordinal);
    }
}
