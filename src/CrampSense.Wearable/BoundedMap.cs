namespace CrampSense.Wearable;

/// <summary>
/// A dictionary by string key that forgets its oldest keys beyond a bound: what the wearable remembers of recent
/// events and commands (a night has a handful; a flood of them must not grow memory). Not thread-safe.
/// </summary>
public sealed class BoundedMap<T>
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly int _capacity;

    public BoundedMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => _items.Count;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGet(string key, out T value) => _items.TryGetValue(key, out value!);

    /// <summary>Sets the value of <paramref name="key"/>; a new key beyond the bound makes the oldest one forgotten.</summary>
    public void Set(string key, T value)
    {
        if (!_items.TryAdd(key, value))
        {
            _items[key] = value;
            return;
        }

        _order.Enqueue(key);
        while (_order.Count > _capacity)
        {
            _items.Remove(_order.Dequeue());
        }
    }

    /// <summary>Takes the value of <paramref name="key"/> out; false when there is none. (Its place in the order stays until it comes up, so a key taken out and set again may be forgotten a little early.)</summary>
    public bool TryRemove(string key, out T value) => _items.Remove(key, out value!);
}
