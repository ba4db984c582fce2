using System.Collections.Concurrent;

namespace CrampSense.Sensors.Faults;

/// <summary>
/// Where every sensor reports changes of health: a bounded queue of <see cref="SensorStatusEvent"/>s for the
/// service to log/publish, and the set of faults open right now. Thread-safe; allocates only on a change.
/// </summary>
public sealed class SensorStatusLog
{
    private readonly ConcurrentQueue<SensorStatusEvent> _events = new();
    private readonly ConcurrentDictionary<(string Chip, string Bus, int Channel), SensorFault> _active = new();
    private readonly int _capacity;
    private long _lost;

    public SensorStatusLog(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Events discarded because nobody drained the queue (oldest first).</summary>
    public long LostEvents => Interlocked.Read(ref _lost);

    /// <summary>Faults not yet recovered, one per chip/bus/channel.</summary>
    public IReadOnlyCollection<SensorFault> ActiveFaults => _active.Values.ToArray();

    /// <summary>Opens a fault for the chip/bus/channel; returns false (and records nothing) when one is already open.</summary>
    public bool ReportFault(SensorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (!_active.TryAdd((fault.Chip, fault.Bus, fault.Channel), fault))
        {
            return false;
        }

        Enqueue(new SensorStatusEvent(SensorStatusChange.Faulted, fault));
        return true;
    }

    /// <summary>Closes the open fault of the chip/bus/channel, if any.</summary>
    public bool ReportRecovered(string chip, string bus, int channel)
    {
        if (!_active.TryRemove((chip, bus, channel), out var fault))
        {
            return false;
        }

        Enqueue(new SensorStatusEvent(SensorStatusChange.Recovered, fault));
        return true;
    }

    /// <summary>True when the chip/bus/channel has an open fault.</summary>
    public bool IsFaulted(string chip, string bus, int channel) => _active.ContainsKey((chip, bus, channel));

    public bool TryDequeue(out SensorStatusEvent? statusEvent)
    {
        var ok = _events.TryDequeue(out var e);
        statusEvent = e;
        return ok;
    }

    /// <summary>Drains the queue (for reports and tests).</summary>
    public IReadOnlyList<SensorStatusEvent> Drain()
    {
        var list = new List<SensorStatusEvent>();
        while (_events.TryDequeue(out var e))
        {
            list.Add(e);
        }

        return list;
    }

    private void Enqueue(SensorStatusEvent statusEvent)
    {
        _events.Enqueue(statusEvent);
        while (_events.Count > _capacity && _events.TryDequeue(out _))
        {
            Interlocked.Increment(ref _lost);
        }
    }
}
