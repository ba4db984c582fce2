// Measures a clip's cost (docs/recording-format.md §8): nice -n 19 dotnet run -c Release --project tests/tools/clip-cost -- 10
// Not part of the solution: a measurement, not a test (no timing assertions in tests).
using System.Diagnostics;
using CrampSense.Detection;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;

// Clip cost: 4 sites at 1000 Hz, temperature 1 Hz, IMU 100 Hz; default options (60 s before, 30 s after); a 30 s cramp → a 120 s clip.
var layout = new RecordingLayout(1000, ["calf_left", "calf_right", "hamstring", "foot"], true, true, new Dictionary<string, string> { ["full_scale_mv"] = "8.25" });
var options = new ClipOptions();
var clips = new List<Clip>();
var recorder = new ClipRecorder(layout, options, "pi-01", c => { clips.Add(c); return true; }, TimeProvider.System);
var folder = new ClipFolder(Path.Combine(Path.GetTempPath(), "hclips-measure-" + Environment.ProcessId), options with { QuotaMegabytes = 4096 }, TimeProvider.System);
var rng = new Random(1);
var frame = layout.CreateFrame();
long n = 0;
void Feed(double seconds)
{
    var end = n + (long)(seconds * 1000);
    for (; n < end; n++)
    {
        frame.TimeSeconds = n / 1000.0;
        for (var s = 0; s < 4; s++)
        {
            frame.EmgMillivolts[s] = (float)((rng.NextDouble() - 0.5) * 0.2);
        }

        frame.HasSkinTemperature = n % 1000 == 0; frame.SkinTemperatureCelsius = 31.5f + (float)rng.NextDouble();
        frame.HasAcceleration = n % 10 == 0; frame.AccelerationXG = (float)rng.NextDouble() * 0.01f; frame.AccelerationYG = -0.02f; frame.AccelerationZG = 0.99f;
        recorder.Add(frame);
    }
}
Feed(100);
var rounds = int.Parse(args.Length > 0 ? args[0] : "10");
TimeSpan cut = TimeSpan.Zero, write = TimeSpan.Zero; long bytes = 0;
for (var i = 0; i < rounds; i++)
{
    var onset = n / 1000.0;
    recorder.OnEvent(new CrampEvent { Type = CrampEventKind.CrampStarted, Id = $"pi-01:calf_left:cramp:{i}", Device = "pi-01", Site = "calf_left", OnsetSeconds = onset });
    Feed(30);
    recorder.OnEvent(new CrampEvent { Type = CrampEventKind.CrampEnded, Id = $"pi-01:calf_left:cramp:{i}", Device = "pi-01", Site = "calf_left", OnsetSeconds = onset, EndSeconds = onset + 30 });
    Feed(29.999);
    // One thread does both parts here, so the process CPU of each part is that part's thread CPU in the service.
    var before = Process.GetCurrentProcess().TotalProcessorTime;
    Feed(0.002); // the frames that make the clip due: the detection thread's part
    var mid = Process.GetCurrentProcess().TotalProcessorTime;
    bytes += folder.Save(clips[^1], CancellationToken.None); // the writer thread's part
    (clips[^1].Frames as IDisposable)?.Dispose(); // as ClipWriter does: the ring's leased chunks are free again
    var after = Process.GetCurrentProcess().TotalProcessorTime;
    cut += mid - before; write += after - mid;
    Feed(70);
}
Console.WriteLine($"ring {recorder.Buffer.Bytes / 1e6:F1} MB for {options.BufferSeconds} s = {recorder.Buffer.Bytes / options.BufferSeconds * 60 / 1e6:F2} MB per minute of buffer; clip frames {clips[^1].Frames.Count}");
Console.WriteLine($"per clip: detection thread (clip due) {cut.TotalMilliseconds / rounds:F1} ms CPU, writer thread (frames out, write, fsync) {write.TotalMilliseconds / rounds:F1} ms CPU, {bytes / rounds / 1e6:F2} MB on disk = {bytes / rounds / (clips[^1].Frames.Count / 1000.0 / 60) / 1e6:F2} MB per minute of clip");
Directory.Delete(folder.Path, true);
