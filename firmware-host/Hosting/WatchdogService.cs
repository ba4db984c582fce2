using System.Globalization;
using CrampSense.FirmwareHost.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace CrampSense.FirmwareHost.Hosting;

/// <summary>
/// systemd's watchdog (<c>WatchdogSec=</c> in the unit): sends <c>WATCHDOG=1</c> every half period, but only while
/// the detection loop is alive (its heartbeat is younger than the period). A hung pipeline therefore stops the
/// pings, and systemd kills and restarts the service. Does nothing outside systemd or without WatchdogSec.
/// </summary>
internal sealed partial class WatchdogService(ISystemdNotifier notifier, PipelineState state, TimeProvider time, ILogger<WatchdogService> logger) : BackgroundService
{
    /// <summary>The watchdog period systemd asks for (<c>WATCHDOG_USEC</c>), or null.</summary>
    internal static TimeSpan? Period(string? watchdogUsec) =>
        long.TryParse(watchdogUsec, NumberStyles.Integer, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;

    /// <summary>
    /// True while the detection loop has beaten within the last <paramref name="period"/> (or has not started yet:
    /// loading the model comes first, and systemd's start timeout covers that).
    /// </summary>
    internal static bool IsAlive(long heartbeat, TimeProvider time, TimeSpan period) =>
        heartbeat == 0 || time.GetElapsedTime(heartbeat) < period;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled || Period(Environment.GetEnvironmentVariable("WATCHDOG_USEC")) is not { } period)
        {
            return;
        }

        LogEnabled(logger, period.TotalSeconds);
        var interval = period / 2;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (IsAlive(state.Heartbeat, time, period))
                {
                    notifier.Notify(new ServiceState("WATCHDOG=1"));
                }
                else
                {
                    var silent = time.GetElapsedTime(state.Heartbeat).TotalSeconds;
                    LogStalled(logger, silent);
                }

                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog every {Seconds} s")]
    private static partial void LogEnabled(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Detection loop silent for {Seconds:0.#} s; withholding the watchdog ping so systemd restarts the service")]
    private static partial void LogStalled(ILogger logger, double seconds);
}
