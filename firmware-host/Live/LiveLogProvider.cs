using System.Globalization;
using CrampSense.FirmwareHost.Pipeline;
using Microsoft.Extensions.Logging;

namespace CrampSense.FirmwareHost.Live;

/// <summary>While the live view owns the terminal, log lines go into its "log" panel instead of the console.</summary>
internal sealed class LiveLogProvider(PipelineState state, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LiveLogger(state, time);

    public void Dispose()
    {
    }

    private sealed class LiveLogger(PipelineState state, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState scopeState)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state1, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                LogLevel.Critical => "crit",
                _ => "dbug",
            };
            state.OnLog(string.Create(CultureInfo.InvariantCulture, $"{time.GetLocalNow():HH:mm:ss} {level} {formatter(state1, exception)}"));
        }
    }
}
