using ChatBot.Core.Foundation.Text;
namespace ChatBot.Core.Indexing.Lexical;

/// <summary>The index's building blocks: posting lists, the vocabulary's words, the term tables and the title groups.</summary>
public sealed partial class LexicalIndex
{
    private sealed class Postings
    {
        /// <summary>
        /// The posting list of every term not (yet) seen in a title: shared and never written, so the many words that
        /// only occur in texts do not each hold an empty title list (measured: 4 MB per analyser at 30k chunks).
        /// </summary>
        public static readonly Postings None = new() { Slots = [], Frequencies = [] };

        public int[] Slots = new int[2];
        public byte[] Frequencies = new byte[2];
        public int Count;
        public int Live;
        public long CollectionFrequency;

        public void Append(int slot, int frequency)
        {
            if (Count == Slots.Length)
            {
                Array.Resize(ref Slots, Count * 2);
                Array.Resize(ref Frequencies, Count * 2);
            }
            Slots[Count] = slot;
            Frequencies[Count] = (byte)Math.Min(frequency, byte.MaxValue);
            Count++;
        }

        public void Trim()
        {
            if (Slots.Length == Count)
                return;
            Array.Resize(ref Slots, Math.Max(Count, 1));
            Array.Resize(ref Frequencies, Math.Max(Count, 1));
        }
    }

    /// <summary>
    /// A word of the vocabulary: its term id under each analyser (null: not indexed) and its char 4-grams.
    /// <see cref="Function"/>: an indexed function word ("pendant"), counted in the terms' statistics for the reranker but
    /// kept out of the postings, so the first ranking searches the question's topic alone.
    /// </summary>
    private sealed class Word(string folded, int[]? terms, int[] grams, bool function)
    {
        public readonly string Folded = folded;
        public readonly int[]? Terms = terms;
        public readonly int[] Grams = grams;
        public readonly bool Function = function;
        public int Live;
    }

    private sealed class TermTable
    {
        public readonly Dictionary<string, int> Ids = new(StringComparer.Ordinal);
        public Postings[] Chunks = new Postings[1024];
        public Postings[] Titles = new Postings[1024];
        public int Count;

        public int IdOf(string term)
        {
            if (Ids.TryGetValue(term, out var id))
                return id;
            id = Count++;
            if (id == Chunks.Length)
            {
                Array.Resize(ref Chunks, id * 2);
                Array.Resize(ref Titles, id * 2);
            }
            Chunks[id] = new Postings();
            Titles[id] = Postings.None;
            Ids[term] = id;
            return id;
        }

        /// <summary>The title posting list of <paramref name="id"/> to write to: made at the term's first title.</summary>
        public Postings TitleFor(int id) => ReferenceEquals(Titles[id], Postings.None) ? Titles[id] = new Postings() : Titles[id];
    }

    /// <summary>Articles sharing a title: scored as one document, their title indexed once.</summary>
    private sealed class TitleGroup(string key, int[] titleWords, int titleLength)
    {
        public readonly string Key = key;
        public readonly int[] TitleWords = titleWords;
        public readonly int TitleLength = titleLength;
        public int LiveChunks;
        public long Length;
        public bool Indexed;
    }

    /// <summary>
    /// What the index holds in memory, structure by structure (postings per analyser and field, term dictionaries, the
    /// vocabulary, char grams, per-chunk metadata, title groups), counted from the structures themselves.
    /// </summary>
    public IReadOnlyList<MemoryPart> Footprint()
    {
        _lock.EnterReadLock();
        try
        {
            var parts = new List<MemoryPart>();
            for (var a = 0; a < _tables.Length; a++)
            {
                var table = _tables[a];
                var name = ((TermAnalyser)a).ToString().ToLowerInvariant();
                parts.Add(new($"postings {name} chunks", PostingsBytes(table.Chunks, table.Count)));
                parts.Add(new($"postings {name} titles", PostingsBytes(table.Titles, table.Count)));
                parts.Add(new($"terms {name}", ManagedSize.DictionaryOf(table.Ids.Count, ManagedSize.Reference, 4)
                    + table.Ids.Keys.Sum(k => ManagedSize.Text(k.Length)) + 2 * ManagedSize.ArrayOf(table.Chunks.Length, ManagedSize.Reference)));
            }
            parts.Add(new("vocabulary (words, their terms and grams)", ManagedSize.DictionaryOf(_wordIds.Count, ManagedSize.Reference, 4)
                + ManagedSize.ArrayOf(_words.Count, ManagedSize.Reference)
                + _words.Sum(w => ManagedSize.Instance(3 * ManagedSize.Reference + 8) + ManagedSize.Text(w.Folded.Length)
                    + (w.Terms is null ? 0 : ManagedSize.ArrayOf(w.Terms.Length, 4)) + ManagedSize.ArrayOf(w.Grams.Length, 4))));
            parts.Add(new("char grams", ManagedSize.DictionaryOf(_gramIds.Count, ManagedSize.Reference, 4)
                + _gramIds.Keys.Sum(k => ManagedSize.Text(k.Length)) + ManagedSize.ArrayOf(_gramLive.Length, 4) + ManagedSize.ArrayOf(_gramStamp.Length, 4)));
            parts.Add(new("per-chunk metadata (ids, lengths, words)", ManagedSize.DictionaryOf(_slots.Count, 8, 4)
                + ManagedSize.ArrayOf(_ids.Length, 8) + 3 * ManagedSize.ArrayOf(_lengths.Length, 4) + ManagedSize.ArrayOf(_slotWords.Length, ManagedSize.Reference)
                + _slotWords.Take(_used).Sum(w => w is null ? 0 : ManagedSize.ArrayOf(w.Length, 4))));
            parts.Add(new("title groups", ManagedSize.DictionaryOf(_groupIds.Count, ManagedSize.Reference, 4)
                + _groups.Sum(g => ManagedSize.Instance(2 * ManagedSize.Reference + 24) + ManagedSize.Text(g.Key.Length) + ManagedSize.ArrayOf(g.TitleWords.Length, 4))));
            return parts;
        }
        finally { _lock.ExitReadLock(); }
    }

    private static long PostingsBytes(Postings[] postings, int count)
    {
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var p = postings[i];
            if (ReferenceEquals(p, Postings.None))
                continue; // shared: counted nowhere
            bytes += ManagedSize.Instance(2 * ManagedSize.Reference + 16) + ManagedSize.ArrayOf(p.Slots.Length, 4) + ManagedSize.ArrayOf(p.Frequencies.Length, 1);
        }
        return bytes;
    }
}
