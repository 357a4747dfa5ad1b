using System.Buffers;

namespace ChatBot.Core.Storage;

/// <summary>
/// BM25 in memory over the analysed terms of every chunk, with SQLite FTS5's formula and constants (k1 1.2, b 0.75,
/// idf <c>ln((N - n + 0.5) / (n + 0.5))</c> floored at 1e-6), so it ranks as <c>bm25()</c> does. Scoring is
/// term-at-a-time into a dense accumulator: a question costs the length of its terms' posting lists, where FTS5 runs
/// its ranking function on every matching row (92 ms at 100k chunks against about 1 ms here).
/// Removed chunks are tombstoned and swept once they outnumber the live ones.
/// </summary>
public sealed class LexicalIndex : IDisposable
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private sealed class Postings
    {
        public int[] Slots = new int[4];
        public ushort[] Frequencies = new ushort[4];
        public int Count;
        public int Live;
    }

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, Postings> _terms = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _slots = [];
    private long[] _ids = new long[1024];
    private int[] _lengths = new int[1024];
    private Postings[][] _docTerms = new Postings[1024][];
    private int _used;
    private int _live;
    private long _totalLength;

    /// <summary>Live chunks.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _live; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Indexes a chunk's terms (replacing what the row id had).</summary>
    public void Add(long id, IReadOnlyList<string> terms) => Add(id, string.Join(' ', terms));

    /// <summary>
    /// Indexes a chunk's terms given as one space-separated string, as the store keeps them: terms already known are
    /// found by span, so loading an index allocates a string per distinct term, not per occurrence.
    /// </summary>
    public void Add(long id, string spaceSeparatedTerms)
    {
        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(id);
            var lookup = _terms.GetAlternateLookup<ReadOnlySpan<char>>();
            var frequencies = new Dictionary<Postings, int>(ReferenceEqualityComparer.Instance);
            var length = 0;
            foreach (var range in spaceSeparatedTerms.AsSpan().Split(' '))
            {
                var term = spaceSeparatedTerms.AsSpan()[range];
                if (term.IsEmpty)
                    continue;
                if (!lookup.TryGetValue(term, out var found))
                    lookup[term] = found = new Postings();
                frequencies[found] = frequencies.GetValueOrDefault(found) + 1;
                length++;
            }
            var slot = _used++;
            EnsureCapacity(_used);
            _slots[id] = slot;
            _ids[slot] = id;
            _lengths[slot] = length;
            var docTerms = new Postings[frequencies.Count];
            var i = 0;
            foreach (var (postings, frequency) in frequencies)
            {
                if (postings.Count == postings.Slots.Length)
                {
                    Array.Resize(ref postings.Slots, postings.Count * 2);
                    Array.Resize(ref postings.Frequencies, postings.Count * 2);
                }
                postings.Slots[postings.Count] = slot;
                postings.Frequencies[postings.Count] = (ushort)Math.Min(frequency, ushort.MaxValue);
                postings.Count++;
                postings.Live++;
                docTerms[i++] = postings;
            }
            _docTerms[slot] = docTerms;
            _live++;
            _totalLength += length;
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool Remove(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            var removed = RemoveLocked(id);
            if (_used - _live > Math.Max(1024, _live))
                Sweep();
            return removed;
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _terms.Clear();
            _slots.Clear();
            Array.Clear(_docTerms);
            _used = _live = 0;
            _totalLength = 0;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>How many live chunks contain the term.</summary>
    public int DocumentFrequency(string term)
    {
        _lock.EnterReadLock();
        try { return _terms.TryGetValue(term, out var postings) ? postings.Live : 0; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The <paramref name="top"/> chunks by BM25 over the terms (any may match), best first; ties by row id.</summary>
    public List<(long Id, double Score)> Search(IEnumerable<string> terms, int top)
    {
        var result = new List<(long, double)>();
        _lock.EnterReadLock();
        float[]? scores = null;
        int[]? touched = null;
        try
        {
            if (_live == 0 || top <= 0)
                return result;
            var average = Math.Max(1.0, (double)_totalLength / _live);
            scores = ArrayPool<float>.Shared.Rent(_used);
            Array.Clear(scores, 0, _used); // a pooled array comes back as its last user left it
            // Both buffers are pooled: a list of 50k touched chunks would be a large-object allocation per question,
            // and those are what make the GC collect the whole heap.
            touched = ArrayPool<int>.Shared.Rent(_used);
            var touchedCount = 0;
            foreach (var term in terms.Distinct(StringComparer.Ordinal))
            {
                if (!_terms.TryGetValue(term, out var postings) || postings.Live == 0)
                    continue;
                var idf = Math.Max(Math.Log((_live - postings.Live + 0.5) / (postings.Live + 0.5)), 1e-6);
                for (var i = 0; i < postings.Count; i++)
                {
                    var slot = postings.Slots[i];
                    var length = _lengths[slot];
                    if (length < 0)
                        continue;
                    double tf = postings.Frequencies[i];
                    var weight = (float)(idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average)));
                    if (scores[slot] == 0)
                        touched[touchedCount++] = slot;
                    scores[slot] += weight;
                }
            }
            var best = new PriorityQueue<int, (float Score, long NegatedId)>(top + 1);
            foreach (var slot in touched.AsSpan(0, touchedCount))
            {
                var key = (scores[slot], -_ids[slot]);
                if (best.Count < top)
                    best.Enqueue(slot, key);
                else if (best.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0)
                    best.EnqueueDequeue(slot, key);
            }
            while (best.TryDequeue(out var slot, out var key))
                result.Add((_ids[slot], key.Score));
            result.Reverse();
            return result;
        }
        finally
        {
            if (scores is not null)
                ArrayPool<float>.Shared.Return(scores);
            if (touched is not null)
                ArrayPool<int>.Shared.Return(touched);
            _lock.ExitReadLock();
        }
    }

    private bool RemoveLocked(long id)
    {
        if (!_slots.Remove(id, out var slot))
            return false;
        foreach (var postings in _docTerms[slot])
            postings.Live--;
        _totalLength -= _lengths[slot];
        _lengths[slot] = -1;
        _docTerms[slot] = [];
        _live--;
        return true;
    }

    /// <summary>Drops the tombstoned slots: live slots are renumbered densely and every posting list follows.</summary>
    private void Sweep()
    {
        var renumbered = new int[_used];
        var next = 0;
        for (var slot = 0; slot < _used; slot++)
        {
            if (_lengths[slot] < 0)
            {
                renumbered[slot] = -1;
                continue;
            }
            renumbered[slot] = next;
            _ids[next] = _ids[slot];
            _lengths[next] = _lengths[slot];
            _docTerms[next] = _docTerms[slot];
            _slots[_ids[next]] = next;
            next++;
        }
        Array.Clear(_docTerms, next, _used - next);
        _used = next;
        foreach (var (term, postings) in _terms.ToList())
        {
            var kept = 0;
            for (var i = 0; i < postings.Count; i++)
            {
                var slot = renumbered[postings.Slots[i]];
                if (slot < 0)
                    continue;
                postings.Slots[kept] = slot;
                postings.Frequencies[kept] = postings.Frequencies[i];
                kept++;
            }
            postings.Count = kept;
            if (kept == 0)
                _terms.Remove(term);
        }
    }

    private void EnsureCapacity(int count)
    {
        if (count <= _ids.Length)
            return;
        var capacity = Math.Max(count, _ids.Length * 2);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _lengths, capacity);
        Array.Resize(ref _docTerms, capacity);
    }

    public void Dispose() => _lock.Dispose();
}
