using System.Numerics.Tensors;

namespace ChatBot.Core.Storage;

/// <summary>
/// Exact nearest-neighbour search in memory: every vector in one contiguous array, scored with SIMD dot products
/// (vectors are L2-normalised, so the dot product is the cosine). A scan of 100k × 384 floats reads ~150 MB.
/// </summary>
public sealed class VectorIndex(int dimensions) : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<long, int> _slots = [];
    /// <summary>
    /// Vectors in fixed segments of <see cref="SegmentSize"/>: growing never copies what is there (a doubling array
    /// held old and new copies at once, 300 MB at 100k vectors), and no single array is huge.
    /// </summary>
    private const int SegmentSize = 4096;

    private readonly List<float[]> _segments = [];
    private long[] _ids = new long[1024];
    private int _count;

    public int Dimensions => dimensions;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public void Upsert(long id, ReadOnlySpan<float> vector)
    {
        if (vector.Length != dimensions)
            throw new ArgumentException($"Vector has {vector.Length} dimensions; this index holds {dimensions}.", nameof(vector));
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.TryGetValue(id, out var slot))
            {
                slot = _count++;
                EnsureCapacity(_count);
                _slots[id] = slot;
                _ids[slot] = id;
            }
            vector.CopyTo(Vector(slot));
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool Remove(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(id, out var slot))
                return false;
            var last = --_count;
            if (slot != last)
            {
                // Move the last vector into the hole so the array stays dense for the scan.
                Vector(last).CopyTo(Vector(slot));
                _ids[slot] = _ids[last];
                _slots[_ids[slot]] = slot;
            }
            return true;
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _slots.Clear();
            _segments.Clear();
            _count = 0;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Below this many vectors one core scans them all; above, the scan is split across the cores.</summary>
    private const int ParallelThreshold = 32_768;

    /// <summary>The <paramref name="top"/> best (id, cosine) pairs, best first.</summary>
    public List<(long Id, float Score)> Search(ReadOnlySpan<float> query, int top)
    {
        if (query.Length != dimensions)
            throw new ArgumentException($"Query has {query.Length} dimensions; this index holds {dimensions}.", nameof(query));
        _lock.EnterReadLock();
        try
        {
            var parts = _count < ParallelThreshold ? 1 : Math.Min(Environment.ProcessorCount, _count / (ParallelThreshold / 2));
            if (parts <= 1)
                return ScanRange(query, 0, _count, top).OrderByDescending(h => h.Score).ThenBy(h => h.Id).ToList();
            // The scan is bound by memory bandwidth: each core reads its own stretch of the array.
            var queryCopy = query.ToArray();
            var partials = new List<(long Id, float Score)>[parts];
            Parallel.For(0, parts, part =>
            {
                var from = (int)((long)_count * part / parts);
                var to = (int)((long)_count * (part + 1) / parts);
                partials[part] = ScanRange(queryCopy, from, to, top);
            });
            return partials.SelectMany(p => p).OrderByDescending(h => h.Score).ThenBy(h => h.Id).Take(top).ToList();
        }
        finally { _lock.ExitReadLock(); }
    }

    private List<(long Id, float Score)> ScanRange(ReadOnlySpan<float> query, int from, int to, int top)
    {
        var best = new PriorityQueue<long, float>(top + 1);
        for (var i = from; i < to; i++)
        {
            var score = TensorPrimitives.Dot(Vector(i), query);
            if (best.Count < top)
                best.Enqueue(_ids[i], score);
            else if (best.TryPeek(out _, out var worst) && score > worst)
                best.EnqueueDequeue(_ids[i], score);
        }
        var result = new List<(long, float)>(best.Count);
        while (best.TryDequeue(out var id, out var score))
            result.Add((id, score));
        return result;
    }

    private void EnsureCapacity(int count)
    {
        if (count > _ids.Length)
            Array.Resize(ref _ids, Math.Max(count, _ids.Length * 2));
        while (_segments.Count * SegmentSize < count)
            _segments.Add(new float[SegmentSize * dimensions]);
    }

    private Span<float> Vector(int slot) => _segments[slot / SegmentSize].AsSpan(slot % SegmentSize * dimensions, dimensions);

    public void Dispose() => _lock.Dispose();
}
