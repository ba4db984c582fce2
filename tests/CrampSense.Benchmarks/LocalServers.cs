using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CrampSense.Benchmarks;

/// <summary>What the benchmarks that start real servers (mosquitto, VictoriaMetrics) on loopback share.</summary>
internal static class LocalServers
{
    /// <summary>A loopback TCP port free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The installed Debian binary <paramref name="name"/> (/usr/sbin or /usr/bin), or an error naming the apt command.</summary>
    public static string Binary(string name) =>
        new[] { "/usr/sbin/", "/usr/bin/" }.Select(d => d + name).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed (apt-get install -y mosquitto victoria-metrics; see docs/influxdb.md for the mosquitto version).");

    /// <summary>Waits until something accepts connections on <paramref name="port"/> (20 s at most, or until <paramref name="server"/> exits).</summary>
    public static async Task WaitForPortAsync(int port, Process? server = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (stopwatch.Elapsed < TimeSpan.FromSeconds(20) && server is not { HasExited: true })
            {
                await Task.Delay(20);
            }
        }
    }
}
