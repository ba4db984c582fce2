using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using Xunit;

namespace CrampSense.Sensors.Tests.Emg;

public class LeadOffDetectorTests
{
    private static SensorFaultKind? Window(LeadOffDetector detector, Func<int, int> code, int samples = 100)
    {
        for (var i = 0; i < samples; i++)
        {
            var done = detector.Add(code(i));
            Assert.Equal(i == samples - 1, done);
        }

        return detector.Verdict;
    }

    [Fact]
    public void Add_AllSamplesAtEitherRail_IsRailed()
    {
        var detector = new LeadOffDetector(100, 1023);

        Assert.Equal(SensorFaultKind.Railed, Window(detector, _ => 1023));
        Assert.Equal(SensorFaultKind.Railed, Window(detector, i => i % 2 == 0 ? 0 : 1));
    }

    [Fact]
    public void Add_SteadyMidScale_IsFlat()
    {
        var detector = new LeadOffDetector(100, 1023);

        Assert.Equal(SensorFaultKind.Flat, Window(detector, i => 512 + (i % 2)));
        Assert.Equal(1, detector.LastPeakToPeak);
    }

    [Fact]
    public void Add_RestingNoiseOfAFewCodes_IsConnected()
    {
        var detector = new LeadOffDetector(100, 1023);

        Assert.Null(Window(detector, i => 510 + (i * 7 % 5)));
        Assert.Equal(4, detector.LastPeakToPeak);
    }

    [Fact]
    public void Add_OneSampleOffTheRail_IsNotRailedButTheWindowDecides()
    {
        var detector = new LeadOffDetector(100, 1023);

        Assert.Null(Window(detector, i => i == 50 ? 600 : 1023));
    }
}
