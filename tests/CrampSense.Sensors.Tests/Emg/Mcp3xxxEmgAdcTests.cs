using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Simulated;
using Xunit;

namespace CrampSense.Sensors.Tests.Emg;

public class Mcp3xxxEmgAdcTests
{
    private const double Vref = 3.3;
    private const double Gain = 200; // MyoWare 2.0 RAW
    private const double MidRail = Vref / 2;

    [Fact]
    public void Read_Mcp3008Channel5_SendsStartSingleEndedAndChannelBitsOfFigure6_1()
    {
        var spi = new SimulatedMcp3xxx(10, Vref, (_, _) => MidRail);
        using var adc = new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(5, "calf", Gain)]);

        Assert.True(adc.TryRead(new int[1], new float[1], 0, out _));

        // DS21295 Figure 6-1: 0000000S | SGL D2 D1 D0 xxxx | xxxxxxxx with S=1, SGL=1, D=101.
        Assert.Equal(new byte[] { 0x01, 0xD0, 0x00 }, spi.LastRequest.ToArray());
    }

    [Theory]
    [InlineData(10, 8.25 * 1022 / 1024)]
    [InlineData(12, 8.25 * 4094 / 4096)]
    public void FullScaleBySite_MidScaleBiasAndGain200_IsMinus8Point25ToTheHighestCode(int bits, double high)
    {
        var spi = new SimulatedMcp3xxx(bits, Vref, (_, _) => MidRail);
        using Mcp3xxxEmgAdc adc = bits == 10
            ? new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain), new EmgChannel(1, "shin", 2 * Gain)])
            : new Mcp3208EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain), new EmgChannel(1, "shin", 2 * Gain)]);

        var fullScale = adc.FullScaleBySite();

        Assert.Equal(-8.25, fullScale["calf"].LowMillivolts, 1e-5);
        Assert.Equal(high, fullScale["calf"].HighMillivolts, 1e-5);
        Assert.Equal(high / 2, fullScale["shin"].HighMillivolts, 1e-5);
    }

    [Fact]
    public void Read_Mcp3208Channel5_SendsStartSingleEndedAndChannelBitsOfFigure6_1()
    {
        var spi = new SimulatedMcp3xxx(12, Vref, (_, _) => MidRail);
        using var adc = new Mcp3208EmgAdc(spi, Vref, [new EmgChannel(5, "calf", Gain)]);

        Assert.True(adc.TryRead(new int[1], new float[1], 0, out _));

        // DS21298 Figure 6-1: 00000 S SGL D2 | D1 D0 xxxxxx | xxxxxxxx with S=1, SGL=1, D=101.
        Assert.Equal(new byte[] { 0x07, 0x40, 0x00 }, spi.LastRequest.ToArray());
    }

    [Theory]
    [InlineData(10, 0.0, 0)]
    [InlineData(10, 1.65, 512)]
    [InlineData(10, 3.2999, 1023)]
    [InlineData(12, 1.65, 2048)]
    [InlineData(12, 0.825, 1024)]
    [InlineData(12, 3.2999, 4095)]
    public void Read_InputVoltage_GivesCodeOfEquation4_1(int bits, double volts, int expectedCode)
    {
        var spi = new SimulatedMcp3xxx(bits, Vref, (_, _) => volts);
        using Mcp3xxxEmgAdc adc = bits == 10
            ? new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)])
            : new Mcp3208EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)]);
        var counts = new int[1];

        Assert.True(adc.TryRead(counts, new float[1], 0, out _));

        Assert.Equal(expectedCode, counts[0]);
    }

    [Fact]
    public void Read_MidRailInput_IsZeroMillivoltsAtTheElectrodes()
    {
        var spi = new SimulatedMcp3xxx(10, Vref, (_, _) => MidRail);
        using var adc = new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)]);
        var mv = new float[1];

        Assert.True(adc.TryRead(new int[1], mv, 0, out _));

        Assert.Equal(0, mv[0], 1e-6);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(12)]
    public void Read_SineAtTheElectrodes_IsRecoveredInMillivoltsWithinOneLsb(int bits)
    {
        // 1.5 mV peak, 80 Hz at the electrodes; the sensor adds gain 200 on top of Vs/2.
        const double rate = 2000;
        double Electrodes(long n) => 1.5e-3 * Math.Sin(2 * Math.PI * 80 * n / rate);
        var spi = new SimulatedMcp3xxx(bits, Vref, (_, n) => MidRail + (Gain * Electrodes(n)));
        using Mcp3xxxEmgAdc adc = bits == 10
            ? new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)])
            : new Mcp3208EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)]);
        var lsbMillivolts = Vref / (1 << bits) / Gain * 1000;
        Assert.Equal(lsbMillivolts, adc.Conversions[0].MillivoltsPerCount, 1e-6);
        var mv = new float[1];

        for (long n = 0; n < 400; n++)
        {
            Assert.True(adc.TryRead(new int[1], mv, n / rate, out _));
            var expected = Electrodes(n) * 1000;
            Assert.InRange(mv[0], expected - lsbMillivolts - 1e-4, expected + 1e-4); // floor quantisation: at most 1 LSB low
        }
    }

    [Fact]
    public void Read_FourChannels_MapsEachAdcChannelToItsSite()
    {
        var spi = new SimulatedMcp3xxx(12, Vref, (channel, _) => MidRail + (Gain * 1e-3 * channel)); // channel k carries k mV
        using var adc = new Mcp3208EmgAdc(spi, Vref,
        [
            new EmgChannel(3, "calf_left", Gain),
            new EmgChannel(1, "calf_right", Gain),
            new EmgChannel(6, "foot_left", Gain),
            new EmgChannel(0, "foot_right", Gain),
        ]);
        var mv = new float[4];

        Assert.True(adc.TryRead(new int[4], mv, 0, out _));

        var lsb = adc.Conversions[0].MillivoltsPerCount;
        Assert.Equal(3, mv[0], lsb * 1.01);
        Assert.Equal(1, mv[1], lsb * 1.01);
        Assert.Equal(6, mv[2], lsb * 1.01);
        Assert.Equal(0, mv[3], lsb * 1.01);
        Assert.Equal(1, spi.ConversionsOn(6));
        Assert.Equal(0, spi.ConversionsOn(2));
    }

    [Fact]
    public void Read_SpiThrows_ReportsBusErrorNamingChipBusChannelAndSite()
    {
        var spi = new SimulatedMcp3xxx(10, Vref, (_, _) => MidRail) { TransferException = new IOException("SPI transfer failed") };
        using var adc = new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(2, "calf", Gain)], "spi0.0");

        Assert.False(adc.TryRead(new int[1], new float[1], 1.5, out var fault));

        Assert.Equal(new SensorFault("MCP3008", "spi0.0", 2, "calf", SensorFaultKind.BusError, "SPI transfer failed", 1.5), fault);
    }

    [Fact]
    public void Read_NullBitIsOne_ReportsChecksumError()
    {
        var spi = new SimulatedMcp3xxx(10, Vref, (_, _) => MidRail) { CorruptNullBit = true };
        using var adc = new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)]);

        Assert.False(adc.TryRead(new int[1], new float[1], 0, out var fault));

        Assert.Equal(SensorFaultKind.ChecksumError, fault.Kind);
    }

    [Fact]
    public void Dispose_DisposesTheSpiDeviceAndMayBeCalledTwice()
    {
        var spi = new SimulatedMcp3xxx(10, Vref, (_, _) => MidRail);
        var adc = new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)]);

        adc.Dispose();
        adc.Dispose();

        Assert.True(spi.IsDisposed);
    }

    [Fact]
    public void Constructor_SameAdcChannelTwice_Throws()
    {
        var spi = new SimulatedMcp3xxx(10, Vref, (_, _) => MidRail);

        Assert.Throws<ArgumentException>(() => new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain), new EmgChannel(0, "shin", Gain)]));
    }
}
