namespace CrampSense.Cli.Plotting;

/// <summary>
/// Streams any number of (time, value) points into at most <c>capacity</c> buckets that keep each bucket's
/// minimum and maximum, so a 10 h recording at 1 kHz (36 M points per channel) plots as a few thousand
/// vertical bars without losing a spike. The length of the input is not known up front, so when the buckets
/// fill, neighbours are merged pairwise and the bucket width doubles.
/// </summary>
/// <remarks>
/// ScottPlot's Signal plot decimates at render time but needs every point in memory; a 10 h, 4-site
/// recording would need over a gigabyte, which is why this streaming reduction exists.
/// </remarks>
internal sealed class MinMaxDecimator
{
    private readonly double[] _start;
    private readonly float[] _min;
    private readonly float[] _max;
    private int _count;
    private long _pointsInCurrent;
    private long _pointsPerBucket = 1;

    public MinMaxDecimator(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        if (capacity % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Capacity must be even so buckets merge in pairs.");
        }

        _start = new double[capacity];
        _min = new float[capacity];
        _max = new float[capacity];
    }

    /// <summary>Number of input points per bucket (a power of two).</summary>
    public long PointsPerBucket => _pointsPerBucket;

    /// <summary>Number of filled buckets.</summary>
    public int Count => _count;

    /// <summary>Total points seen.</summary>
    public long PointCount { get; private set; }

    public void Add(double time, float value)
    {
        PointCount++;
        if (_count > 0 && _pointsInCurrent < _pointsPerBucket)
        {
            var last = _count - 1;
            if (value < _min[last])
            {
                _min[last] = value;
            }

            if (value > _max[last])
            {
                _max[last] = value;
            }

            _pointsInCurrent++;
            return;
        }

        if (_count == _start.Length)
        {
            MergePairs();
        }

        _start[_count] = time;
        _min[_count] = value;
        _max[_count] = value;
        _count++;
        _pointsInCurrent = 1;
    }

    /// <summary>Bucket start times, minima and maxima (copies of the filled part).</summary>
    public (double[] Time, double[] Min, double[] Max) ToArrays()
    {
        var time = new double[_count];
        var min = new double[_count];
        var max = new double[_count];
        for (var i = 0; i < _count; i++)
        {
            time[i] = _start[i];
            min[i] = _min[i];
            max[i] = _max[i];
        }

        return (time, min, max);
    }

    private void MergePairs()
    {
        var half = _count / 2;
        for (var i = 0; i < half; i++)
        {
            var a = 2 * i;
            var b = a + 1;
            _start[i] = _start[a];
            _min[i] = Math.Min(_min[a], _min[b]);
            _max[i] = Math.Max(_max[a], _max[b]);
        }

        // Merging happens only when a point needs a new bucket, so every old bucket was full and every
        // merged one is full at twice the width: the caller starts a new bucket next.
        _count = half;
        _pointsPerBucket *= 2;
    }
}
