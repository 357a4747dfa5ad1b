using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ChatBot.Core.Indexing;

/// <summary>
/// Nearest-neighbour search in memory with exact results (vectors are L2-normalised, so the dot product is the cosine).
/// Each vector is kept twice: as floats, and as signed bytes with a scale of its own. Small indexes are scanned in
/// floats; above <see cref="QuantizedThreshold"/> vectors (on x86 with AVX2) the scan reads the bytes, a quarter of the
/// memory (38 MB instead of 155 at 100k × 384), and the best candidates of that scan are scored again in floats, so
/// the ranking returned is the float ranking. The scan is split across the cores above <see cref="ParallelThreshold"/>.
/// </summary>
public sealed class VectorIndex(int dimensions) : IDisposable
{
    /// <summary>
    /// Vectors in fixed segments of this many: growing never copies what is there (a doubling array held old and new
    /// copies at once, 300 MB at 100k vectors), and no single array is huge.
    /// </summary>
    private const int SegmentSize = 4096;

    /// <summary>Below this many vectors one core scans them all; above, the scan is split across the cores.</summary>
    private const int ParallelThreshold = 32_768;

    /// <summary>From this many vectors the byte copy is scanned first.</summary>
    private const int QuantizedThreshold = 8_192;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<long, int> _slots = [];
    private readonly List<float[]> _segments = [];
    private readonly List<sbyte[]> _quantized = [];
    private readonly List<float[]> _scales = [];
    private long[] _ids = new long[1024];
    private int _count;

    public int Dimensions => dimensions;

    /// <summary>Bytes a search reads per vector: a byte each dimension on the quantized path, four otherwise.</summary>
    public int ScanBytesPerVector => Count >= QuantizedThreshold && Avx2.IsSupported ? dimensions : dimensions * sizeof(float);

    /// <summary>What the vectors hold in memory: full-precision segments, their int8 copies and scales, the ids.</summary>
    public IReadOnlyList<MemoryPart> Footprint()
    {
        _lock.EnterReadLock();
        try
        {
            return
            [
                new("vectors (float32)", _segments.Sum(s => ManagedSize.ArrayOf(s.Length, 4))),
                new("vectors (int8 copies and scales)", _quantized.Sum(q => ManagedSize.ArrayOf(q.Length, 1)) + _scales.Sum(s => ManagedSize.ArrayOf(s.Length, 4))),
                new("vector ids", ManagedSize.ArrayOf(_ids.Length, 8) + ManagedSize.DictionaryOf(_slots.Count, 8, 4)),
            ];
        }
        finally { _lock.ExitReadLock(); }
    }

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
            Scale(slot) = Quantize(vector, Bytes(slot));
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
                // Move the last vector into the hole so the segments stay dense for the scan.
                Vector(last).CopyTo(Vector(slot));
                Bytes(last).CopyTo(Bytes(slot));
                Scale(slot) = Scale(last);
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
            _quantized.Clear();
            _scales.Clear();
            _count = 0;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>The <paramref name="top"/> best (id, cosine) pairs, best first.</summary>
    public List<(long Id, float Score)> Search(ReadOnlySpan<float> query, int top)
    {
        if (query.Length != dimensions)
            throw new ArgumentException($"Query has {query.Length} dimensions; this index holds {dimensions}.", nameof(query));
        if (top <= 0)
            return [];
        _lock.EnterReadLock();
        try
        {
            if (_count < QuantizedThreshold || !Avx2.IsSupported)
                return Scan(query.ToArray(), top, quantized: null);
            // The byte scan finds a generous shortlist; its members are scored again in floats.
            var bytes = new sbyte[dimensions];
            var scale = Quantize(query, bytes);
            var shortlist = Scan(query.ToArray(), Math.Max(top * 8, top + 128), (bytes, scale));
            var exact = new float[shortlist.Count];
            for (var i = 0; i < shortlist.Count; i++)
                exact[i] = TensorPrimitives.Dot(Vector(_slots[shortlist[i].Id]), query);
            return shortlist.Select((hit, i) => (hit.Id, exact[i]))
                .OrderByDescending(h => h.Item2).ThenBy(h => h.Id).Take(top).ToList();
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The best <paramref name="top"/> of every vector, in floats or (with <paramref name="quantized"/>) in bytes.</summary>
    private List<(long Id, float Score)> Scan(float[] query, int top, (sbyte[] Bytes, float Scale)? quantized)
    {
        var parts = _count < ParallelThreshold ? 1 : Math.Min(Environment.ProcessorCount, _count / (ParallelThreshold / 2));
        if (parts <= 1)
            return ScanRange(query, quantized, 0, _count, top).OrderByDescending(h => h.Score).ThenBy(h => h.Id).ToList();
        // Bound by memory bandwidth: each core reads its own stretch of the segments.
        var partials = new List<(long Id, float Score)>[parts];
        Parallel.For(0, parts, part =>
        {
            var from = (int)((long)_count * part / parts);
            var to = (int)((long)_count * (part + 1) / parts);
            partials[part] = ScanRange(query, quantized, from, to, top);
        });
        return partials.SelectMany(p => p).OrderByDescending(h => h.Score).ThenBy(h => h.Id).Take(top).ToList();
    }

    private List<(long Id, float Score)> ScanRange(float[] query, (sbyte[] Bytes, float Scale)? quantized, int from, int to, int top)
    {
        var best = new PriorityQueue<long, float>(top + 1);
        for (var i = from; i < to; i++)
        {
            var score = quantized is { } q
                ? DotBytes(Bytes(i), q.Bytes) * Scale(i) * q.Scale
                : TensorPrimitives.Dot(Vector(i), query);
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

    /// <summary>Signed bytes with one scale per vector: <c>value ≈ byte × scale</c>.</summary>
    private static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> bytes)
    {
        var largest = TensorPrimitives.MaxMagnitude(vector);
        var largestAbs = MathF.Abs(largest);
        if (largestAbs == 0 || !float.IsFinite(largestAbs))
        {
            bytes.Clear();
            return 0;
        }
        var scale = largestAbs / 127f;
        for (var i = 0; i < vector.Length; i++)
            bytes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127, 127);
        return scale;
    }

    /// <summary>The integer dot product of two byte vectors, 32 bytes a step (AVX2).</summary>
    private static int DotBytes(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && a.Length >= Vector256<sbyte>.Count)
        {
            ref var left = ref MemoryMarshal.GetReference(a);
            ref var right = ref MemoryMarshal.GetReference(b);
            var accumulator = Vector256<int>.Zero;
            for (; i <= a.Length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                var (leftLow, leftHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref left, (nuint)i));
                var (rightLow, rightHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref right, (nuint)i));
                accumulator = Avx2.Add(accumulator, Avx2.MultiplyAddAdjacent(leftLow, rightLow));
                accumulator = Avx2.Add(accumulator, Avx2.MultiplyAddAdjacent(leftHigh, rightHigh));
            }
            sum = Vector256.Sum(accumulator);
        }
        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private void EnsureCapacity(int count)
    {
        if (count > _ids.Length)
            Array.Resize(ref _ids, Math.Max(count, _ids.Length * 2));
        while (_segments.Count * SegmentSize < count)
        {
            _segments.Add(new float[SegmentSize * dimensions]);
            _quantized.Add(new sbyte[SegmentSize * dimensions]);
            _scales.Add(new float[SegmentSize]);
        }
    }

    private Span<float> Vector(int slot) => _segments[slot / SegmentSize].AsSpan(slot % SegmentSize * dimensions, dimensions);

    private Span<sbyte> Bytes(int slot) => _quantized[slot / SegmentSize].AsSpan(slot % SegmentSize * dimensions, dimensions);

    private ref float Scale(int slot) => ref _scales[slot / SegmentSize][slot % SegmentSize];

    public void Dispose() => _lock.Dispose();
}
