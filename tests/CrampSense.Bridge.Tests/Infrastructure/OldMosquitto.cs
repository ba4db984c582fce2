namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>
/// A mosquitto older than 2.0.13 (Debian 12's 2.0.11), which does not keep a subscriber's MQTT 5 receive maximum.
/// The tests run on mosquitto 2.0.21 from bookworm-backports; .ci/run unpacks the 2.0.11 package beside it and names
/// its binary in <see cref="Variable"/>.
/// </summary>
internal static class OldMosquitto
{
    public const string Variable = "CRAMPSENSE_TEST_MOSQUITTO_2_0_11";

    /// <summary>The binary; a failure in CI when it is not set up, a skip (naming the setup) elsewhere.</summary>
    public static string Require()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (path is not null && File.Exists(path))
        {
            return path;
        }

        Tools.Unavailable(
            $"{Variable} does not name a mosquitto 2.0.11 binary (apt-get download mosquitto/bookworm && dpkg-deb -x mosquitto_2.0.11*.deb DIR; {Variable}=DIR/usr/sbin/mosquitto)");
        return path;
    }
}
