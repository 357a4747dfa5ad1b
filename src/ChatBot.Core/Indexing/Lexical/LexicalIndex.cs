using System.Buffers;
using System.Runtime.InteropServices;
using ChatBot.Core.Foundation.Collections;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// Fielded BM25 in memory, under several analysers at once. Every chunk is one document for its own text; chunks of
/// articles sharing a title also form a "titled document" (the whole article, or every paragraph of one encyclopaedia
/// entry), scored from the same postings by summing them per title; titles have postings of their own. Each analyser
/// gives a chunk <c>body + TitleWeight × title + DocumentWeight × document</c>; the analysers' scores, each divided by
/// its best for the query, are summed (CombSUM).
///
/// Memory: words are kept once in a vocabulary; a chunk holds its distinct word ids as a <see cref="WordBag"/> (about 2
/// bytes each, which is what removal and the reranker's per-chunk statistics read); each searched analyser holds
/// postings of 3 bytes (distance from the previous slot, term frequency); the others only count
/// (<see cref="WordAnalysers.IsSearched"/>).
/// Scoring is term-at-a-time into pooled accumulators: a question costs the length of its terms' posting lists.
/// Removed chunks are tombstoned and swept once they outnumber the live ones.
/// </summary>
public sealed partial class LexicalIndex : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly WordAnalysers _analysers;

    private TermIds _wordIds = new();
    private readonly Vocabulary _words = new();
    private readonly TermTable[] _tables = Enumerable.Range(0, WordAnalysers.Count).Select(_ => new TermTable()).ToArray();
    private TermIds _gramIds = new();
    private int[] _gramLive = new int[4096];
    private int[] _gramStamp = new int[4096];
    private int _gramEpoch;
    private long _liveGramLength;
    private long _liveWordLength; // every word of every live chunk, function words included

    private TermIds _groupIds = new();
    private readonly ValueList<TitleGroup> _groups = new();
    private int _liveGroups;
    private long _liveTitleLength;

    private readonly Dictionary<long, int> _slots = [];
    private long[] _ids = new long[1024];
    private int[] _groupOf = new int[1024];
    private int[] _lengths = new int[1024];
    private int[] _gramLengths = new int[1024];
    private WordBag[] _slotWords = new WordBag[1024];
    private int _used;
    private int _live;
    private long _liveLength;


    public LexicalIndex(WordAnalysers? analysers = null) => _analysers = analysers ?? WordAnalysers.Shared;

    public WordAnalysers Analysers => _analysers;

    /// <summary>Live chunks.</summary>
    public int Count => Read(() => _live);

    /// <summary>Live titled documents (distinct titles among the live chunks).</summary>
    public int DocumentCount => Read(() => _liveGroups);

    /// <summary>Indexes a chunk of an article titled <paramref name="title"/> (replacing what the id had).</summary>
    public void Add(long id, string title, string text)
    {
        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(id);
            AddLocked(id, title, text);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Indexes many chunks under one lock (a load at start-up); postings are trimmed to size afterwards.</summary>
    public void AddRange(IEnumerable<(long Id, string Title, string Text)> chunks, bool trim = true)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var (id, title, text) in chunks)
            {
                RemoveLocked(id);
                AddLocked(id, title, text);
            }
            if (trim)
                TrimLocked();
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
            _words.ClearLive();
            foreach (var table in _tables)
                table.Clear();
            Array.Clear(_gramLive);
            foreach (ref var group in _groups.AsSpan())
            {
                group.LiveChunks = 0;
                group.Length = 0;
                group.Indexed = false;
            }
            _slots.Clear();
            Array.Clear(_slotWords);
            _used = _live = _liveGroups = 0;
            _liveLength = _liveGramLength = _liveWordLength = _liveTitleLength = 0;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>How many live chunks contain a word whose term under <paramref name="analyser"/> is that of <paramref name="folded"/>.</summary>
    public int DocumentFrequency(string folded, TermAnalyser analyser = TermAnalyser.Light)
    {
        var terms = _analysers.Terms(folded);
        if (terms is null)
            return 0;
        _lock.EnterReadLock();
        try
        {
            var table = _tables[(int)analyser];
            return table.Ids.TryGetValue(terms[(int)analyser], out var id) ? table.Chunks[id].Live : 0;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Live chunks holding a word with this char 4-gram (tests).</summary>
    internal int GramFrequency(string gram)
    {
        _lock.EnterReadLock();
        try { return _gramIds.TryGetValue(gram, out var id) ? _gramLive[id] : 0; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>How many live chunks contain exactly this folded word.</summary>
    public int WordFrequency(string folded)
    {
        _lock.EnterReadLock();
        try { return _wordIds.TryGetValue(folded, out var id) ? _words.Live(id) : 0; }
        finally { _lock.ExitReadLock(); }
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try { return read(); }
        finally { _lock.ExitReadLock(); }
    }

    private void AddLocked(long id, string title, string text)
    {
        var (packed, length) = PackedWords(text);
        var slot = _used++;
        EnsureCapacity(_used);
        _slots[id] = slot;
        _ids[slot] = id;
        _lengths[slot] = length;

        var gramLength = 0;
        foreach (var entry in packed)
        {
            var frequency = entry.Frequency;
            _words.Live(entry.Word)++;
            gramLength += _words.Grams(entry.Word).Length * frequency;
            _liveWordLength += frequency;
        }
        CountGrams(packed, +1);
        _slotWords[slot] = packed;
        _gramLengths[slot] = gramLength;
        _liveGramLength += gramLength;

        for (var a = 0; a < WordAnalysers.Count; a++)
        {
            var table = _tables[a];
            foreach (var term in TermFrequencies(packed, a))
            {
                var frequency = _termCounts[term];
                _termCounts[term] = 0;
                ref var postings = ref table.Chunks[term];
                postings.Live++;
                postings.CollectionFrequency += frequency;
            }
            if (!WordAnalysers.IsSearched(a))
                continue;
            foreach (var term in TermFrequencies(packed, a, searchedOnly: true))
            {
                table.Chunks[term].Append(slot, _termCounts[term]);
                _termCounts[term] = 0;
            }
        }
        var group = GroupOf(title);
        _groupOf[slot] = group;
        ref var g = ref _groups[group];
        if (g.LiveChunks++ == 0)
            ActivateTitle(group, ref g);
        g.Length += length;
        _live++;
        _liveLength += length;
    }

    private bool RemoveLocked(long id)
    {
        if (!_slots.Remove(id, out var slot))
            return false;
        var packed = _slotWords[slot];
        foreach (var entry in packed)
        {
            _words.Live(entry.Word)--;
            _liveWordLength -= entry.Frequency;
        }
        CountGrams(packed, -1);
        for (var a = 0; a < WordAnalysers.Count; a++)
        {
            foreach (var term in TermFrequencies(packed, a))
            {
                ref var postings = ref _tables[a].Chunks[term];
                postings.Live--;
                postings.CollectionFrequency -= _termCounts[term];
                _termCounts[term] = 0;
            }
        }
        _liveGramLength -= _gramLengths[slot];

        ref var g = ref _groups[_groupOf[slot]];
        g.Length -= _lengths[slot];
        if (--g.LiveChunks == 0)
            DeactivateTitle(g);
        _liveLength -= _lengths[slot];
        _lengths[slot] = -1;
        _slotWords[slot] = WordBag.Empty;
        _live--;
        return true;
    }

    /// <summary>
    /// The words of <paramref name="text"/> (function words included: their grams count, their terms do not) as a bag
    /// of word ids with their frequencies, and how many indexed words there are (BM25's length): the word ids sorted,
    /// no dictionary per chunk.
    /// </summary>
    private (WordBag Words, int Length) PackedWords(string text)
    {
        var ids = WordIds(text);
        var content = 0;
        for (var i = 0; i < ids.Count; i++)
        {
            if (_words.IsIndexed(ids[i]))
                content++;
        }
        var span = CollectionsMarshal.AsSpan(ids);
        span.Sort();
        return (WordBag.Of(span), content);
    }

    private readonly List<int> _idScratch = new(256);

    /// <summary>The vocabulary id of every word of the text (function words included), adding new words as they come; the list is reused by the next call.</summary>
    private List<int> WordIds(string text)
    {
        var ids = _idScratch;
        ids.Clear();
        Span<char> buffer = stackalloc char[128];
        var span = text.AsSpan();
        var i = 0;
        while (WordFolder.NextWord(span, ref i, out var start, out _))
        {
            var surface = span[start..i];
            var length = WordFolder.Fold(surface, buffer);
            int id;
            if (length >= 0)
            {
                var folded = buffer[..length];
                if (folded.IsEmpty)
                    continue;
                if (!_wordIds.TryGetValue(folded, out id))
                    id = NewWord(new string(folded));
            }
            else
            {
                var folded = WordFolder.Fold(surface);
                if (folded.Length == 0)
                    continue;
                if (!_wordIds.TryGetValue(folded, out id))
                    id = NewWord(folded);
            }
            ids.Add(id);
        }
        return ids;
    }

    private int NewWord(string folded)
    {
        var analysed = _analysers.Terms(folded);
        Span<int> terms = analysed is null ? default : stackalloc int[WordAnalysers.Count];
        for (var a = 0; a < terms.Length; a++)
            terms[a] = _tables[a].IdOf(analysed![a]);
        // Every word has grams, function words too: a chunk's gram length and each gram's chunk frequency count the whole text.
        var grams = CharGrams.Of(folded).Select(GramId).ToArray();
        var id = _words.Add(folded, terms, grams, analysed is not null && _analysers.Analyzer.IsFunctionWord(folded));
        _wordIds.Add(folded);
        return id;
    }

    /// <summary>
    /// Adds <paramref name="delta"/> to the chunk frequency of each distinct gram of the chunk's words (a gram two words
    /// of the chunk share counts once, as BM25's document frequency should), marking what was counted in a stamp array.
    /// </summary>
    private void CountGrams(WordBag packed, int delta)
    {
        if (_gramStamp.Length < _gramLive.Length)
            Array.Resize(ref _gramStamp, _gramLive.Length);
        if (_gramEpoch == int.MaxValue)
        {
            Array.Clear(_gramStamp);
            _gramEpoch = 0;
        }
        var stamp = ++_gramEpoch;
        foreach (var entry in packed)
        {
            foreach (var gram in _words.Grams(entry.Word))
            {
                if (_gramStamp[gram] == stamp)
                    continue;
                _gramStamp[gram] = stamp;
                _gramLive[gram] += delta;
            }
        }
    }

    private int GramId(string gram)
    {
        if (_gramIds.TryGetValue(gram, out var id))
            return id;
        id = _gramIds.Add(gram);
        if (id == _gramLive.Length)
            Array.Resize(ref _gramLive, id * 2);
        return id;
    }

    // Scratch of one write: term frequencies by term id (left at zero after use) and the terms touched.
    private int[] _termCounts = new int[4096];
    private readonly List<int> _termsTouched = new(256);

    /// <summary>
    /// The terms of a word list under one analyser (several words may share a term), their frequencies left in
    /// <c>_termCounts</c>, which the caller reads and sets back to zero; <paramref name="searchedOnly"/> leaves the
    /// function words out (what the postings hold).
    /// </summary>
    private List<int> TermFrequencies(WordBag packed, int analyser, bool searchedOnly = false)
    {
        var touched = _termsTouched;
        touched.Clear();
        if (_termCounts.Length < _tables[analyser].Count)
            Array.Resize(ref _termCounts, Math.Max(_tables[analyser].Count, _termCounts.Length * 2));
        foreach (var entry in packed)
        {
            if (!_words.IsIndexed(entry.Word) || searchedOnly && _words.IsFunction(entry.Word))
                continue;
            var terms = _words.Terms(entry.Word);
            var term = terms[analyser];
            if (_termCounts[term] == 0)
                touched.Add(term);
            _termCounts[term] += entry.Frequency;
        }
        return touched;
    }

    private string? _lastTitle;
    private int _lastGroup;

    private int GroupOf(string title)
    {
        // Consecutive chunks of one article share their title: the key is folded once.
        if (ReferenceEquals(title, _lastTitle) || string.Equals(title, _lastTitle, StringComparison.Ordinal))
            return _lastGroup;
        var key = TitleKey(title);
        if (!_groupIds.TryGetValue(key, out var id))
            id = NewGroup(key, title);
        (_lastTitle, _lastGroup) = (title, id);
        return id;
    }

    private int NewGroup(string key, string title)
    {
        var (packed, length) = PackedWords(title);
        var id = _groups.Count;
        _groups.Add(new TitleGroup(packed, length));
        _groupIds.Add(key);
        return id;
    }

    /// <summary>Titles that differ only in case, accents, spacing or punctuation are one title.</summary>
    public static string TitleKey(string title)
    {
        var key = new System.Text.StringBuilder(title.Length);
        var i = 0;
        while (WordFolder.NextWord(title, ref i, out var start, out _))
        {
            if (key.Length > 0)
                key.Append(' ');
            key.Append(WordFolder.Fold(title.AsSpan(start, i - start)));
        }
        return key.ToString();
    }

    private void ActivateTitle(int id, ref TitleGroup group)
    {
        _liveGroups++;
        _liveTitleLength += group.TitleLength;
        for (var a = 0; a < WordAnalysers.Count; a++)
        {
            foreach (var term in TermFrequencies(group.TitleWords, a))
            {
                var frequency = _termCounts[term];
                _termCounts[term] = 0;
                ref var postings = ref _tables[a].TitleFor(term);
                postings.Live++;
                postings.CollectionFrequency += frequency;
            }
            if (group.Indexed || !WordAnalysers.IsSearched(a))
                continue;
            foreach (var term in TermFrequencies(group.TitleWords, a, searchedOnly: true))
            {
                _tables[a].TitleFor(term).Append(id, _termCounts[term]);
                _termCounts[term] = 0;
            }
        }
        group.Indexed = true;
    }

    private void DeactivateTitle(in TitleGroup group)
    {
        _liveGroups--;
        _liveTitleLength -= group.TitleLength;
        for (var a = 0; a < WordAnalysers.Count; a++)
        {
            foreach (var term in TermFrequencies(group.TitleWords, a))
            {
                ref var postings = ref _tables[a].TitleFor(term);
                postings.Live--;
                postings.CollectionFrequency -= _termCounts[term];
                _termCounts[term] = 0;
            }
        }
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
            _gramLengths[next] = _gramLengths[slot];
            _groupOf[next] = _groupOf[slot];
            _slotWords[next] = _slotWords[slot];
            _slots[_ids[next]] = next;
            next++;
        }
        Array.Clear(_slotWords, next, _used - next);
        _used = next;
        foreach (var table in _tables)
        {
            for (var t = 0; t < table.Count; t++)
                table.Chunks[t].Renumber(renumbered);
        }
    }

    private void TrimLocked()
    {
        foreach (var table in _tables)
        {
            for (var t = 0; t < table.Count; t++)
                table.Chunks[t].Trim();
        }
    }

    private void EnsureCapacity(int count)
    {
        if (count <= _ids.Length)
            return;
        var capacity = Math.Max(count, _ids.Length * 2);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _lengths, capacity);
        Array.Resize(ref _gramLengths, capacity);
        Array.Resize(ref _groupOf, capacity);
        Array.Resize(ref _slotWords, capacity);
    }

    public void Dispose() => _lock.Dispose();
}
