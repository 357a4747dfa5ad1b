namespace ChatBot.Core.Indexing.Lexical;

/// <summary>The index's building blocks: posting lists, the vocabulary's words, the term tables and the title groups.</summary>
public sealed partial class LexicalIndex
{
    private sealed class Postings
    {
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
            Titles[id] = new Postings();
            Ids[term] = id;
            return id;
        }
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
}
