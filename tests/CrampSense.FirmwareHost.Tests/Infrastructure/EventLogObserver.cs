using Microsoft.Extensions.Logging;

namespace CrampSense.FirmwareHost.Tests.Infrastructure;

/// <summary>
/// A logger provider that watches the pipeline's "Event {Type} on {Site} …" lines: each is recorded with its
/// structured values and, at the moment it is logged (on the logging thread), whatever <c>atLog</c> says about it.
/// </summary>
internal sealed class EventLogObserver(Func<string, string, bool>? atLog = null) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<LoggedEvent> _events = [];

    /// <summary>An event as logged, and what <c>atLog(type, eventId)</c> returned right then (true without one).</summary>
    public sealed record LoggedEvent(string Type, string Site, double OnsetSeconds, double? DurationSeconds, string EventId, bool CheckedAtLog);

    public IReadOnlyList<LoggedEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Observer(this);

    public void Dispose()
    {
    }

    private void OnLog(IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        string? Text(string key) => values.FirstOrDefault(v => v.Key == key).Value?.ToString();
        if (Text("{OriginalFormat}")?.StartsWith("Event {Type}", StringComparison.Ordinal) != true)
        {
            return;
        }

        var type = Text("Type")!;
        var id = Text("EventId")!;
        var checkedAtLog = atLog?.Invoke(type, id) ?? true;
        var logged = new LoggedEvent(
            type,
            Text("Site")!,
            (double)values.First(v => v.Key == "OnsetSeconds").Value!,
            (double?)values.First(v => v.Key == "DurationSeconds").Value,
            id,
            checkedAtLog);
        lock (_gate)
        {
            _events.Add(logged);
        }
    }

    private sealed class Observer(EventLogObserver owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                owner.OnLog(values);
            }
        }
    }
}
