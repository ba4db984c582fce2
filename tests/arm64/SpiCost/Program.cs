using System.Globalization;
using System.Runtime.InteropServices;
using CrampSense.BenchmarkSupport;
using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Simulated;

// Thread CPU time (CLOCK_THREAD_CPUTIME_ID, as the benchmarks' stage-profile) per operation, min and median of
// the repeats: (1) one 3-byte SpiDevice.TransferFullDuplex on the simulated MCP3008, (2) one slot of the
// sampling thread's ADC read (Mcp3008EmgAdc.TryRead: 4 channels, 4 transfers through the Iot binding, the
// conversion to mV). The simulated chip stands in for the spidev ioctl, so the figures are the managed side of a
// transfer (binding, framing, the chip's decoding), not the kernel's; under qemu they are relative to x64.
//   SpiCost [operations] [repeats]
var operations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;

using var chip = new SimulatedMcp3xxx(10, 3.3, static (channel, n) => 1.65 + (1e-3 * Math.Sin((n * 0.01) + channel)));
var request = new byte[] { 0x01, 0x80, 0x00 };
var response = new byte[3];
Report("TransferFullDuplex (3 bytes, simulated MCP3008)", () =>
{
    for (var i = 0; i < operations; i++)
    {
        chip.TransferFullDuplex(request, response);
    }
});

var channels = new[] { new EmgChannel(0, "calf_left", 1000), new EmgChannel(1, "calf_right", 1000), new EmgChannel(2, "foot_left", 1000), new EmgChannel(3, "foot_right", 1000) };
using var adc = new Mcp3008EmgAdc(new SimulatedMcp3xxx(10, 3.3, static (channel, n) => 1.65 + (1e-3 * Math.Sin((n * 0.01) + channel))), 3.3, channels);
var counts = new int[4];
var millivolts = new float[4];
Report("Mcp3008EmgAdc.TryRead (4 channels = 4 transfers)", () =>
{
    for (var i = 0; i < operations; i++)
    {
        if (!adc.TryRead(counts, millivolts, 0, out var fault))
        {
            throw new InvalidOperationException(fault.ToString());
        }
    }
});

void Report(string name, Action run)
{
    var (min, median) = ThreadCpuTime.PerOperation(run, operations, repeats);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{RuntimeInformation.ProcessArchitecture}\tmin {min:0.0} ns\tmedian {median:0.0} ns"));
}
