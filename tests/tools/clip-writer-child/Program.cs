// The writer that ClipFolderTests kills with SIGKILL mid-clip (issue 16: "kill -9 while a clip is being written
// leaves no partial clip that a reader would accept"). Usage: clip-writer-child FOLDER FRAMES STALL_AT
// It saves one whole clip ("whole"), then a clip of FRAMES frames ("killed") through the service's ClipFolder. When
// the writer asks for frame STALL_AT (hundreds of kB of the partial file are then on disk), it prints
// "stalled mid-write" and waits on standard input: the test kills it there, deterministically, without sleeping.
// If standard input closes (the test is gone), it exits instead of writing on.
using System.Collections;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;

var folder = new ClipFolder(args[0], new ClipOptions(), TimeProvider.System);
var frames = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var stallAt = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var layout = new RecordingLayout(1000, ["calf", "foot"], hasSkinTemperature: false, hasAcceleration: true);
folder.Save(Clip("20261202T030000000Z-cramp-calf-1", "whole", new Frames(layout, 1000, -1)), CancellationToken.None);
Console.Out.WriteLine("whole clip saved");
folder.Save(Clip("20261202T030100000Z-cramp-calf-2", "killed", new Frames(layout, frames, stallAt)), CancellationToken.None);
Console.Out.WriteLine("killed clip saved (the test should have killed this process)");
return 1;

Clip Clip(string name, string eventId, Frames list) => new(name, layout, list, new ClipLabel
{
    Intervals = [new TruthInterval(TruthKind.Cramp, "calf", 0.1, 0.2)],
    Origin = ClipLabel.Detected,
    Trigger = ClipRecorder.CrampTrigger,
    EventId = eventId,
    Device = "pi-01",
    RecordedAt = TimeProvider.System.GetUtcNow(),
});

/// <summary>Frames made as the writer reads them; reading frame <c>stallAt</c> stalls the writer (see above).</summary>
internal sealed class Frames(RecordingLayout layout, int count, int stallAt) : IReadOnlyList<RecordingFrame>
{
    private readonly RecordingFrame _frame = layout.CreateFrame();

    public int Count => count;

    public RecordingFrame this[int index]
    {
        get
        {
            if (index == stallAt)
            {
                Console.Out.WriteLine("stalled mid-write");
                Console.Out.Flush();
                if (Console.In.ReadLine() is null)
                {
                    Environment.Exit(2);
                }
            }

            _frame.TimeSeconds = index / 1000.0;
            _frame.EmgMillivolts[0] = (float)Math.Sin(index * 0.37) * 0.4f;
            _frame.EmgMillivolts[1] = (float)Math.Cos(index * 0.11) * 0.2f;
            _frame.HasAcceleration = index % 10 == 0;
            _frame.AccelerationZG = 0.98f;
            return _frame;
        }
    }

    public IEnumerator<RecordingFrame> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
