using ChatBot.Core.Foundation.Text;
namespace ChatBot.Core.Indexing.Lexical;

/// <summary>The index's building blocks: posting lists, the vocabulary's words, the term tables and the title groups.</summary>
public sealed partial class LexicalIndex
{
    /// <summary>
    /// A term's posting list, compact: each posting is the distance from the previous posting's slot (the first: its
    /// slot + 1) in two bytes, then its frequency in one (capped at 255); a distance of 65,535 or more is the escape
    /// 0xFFFF followed by the distance in four bytes. Slots arrive in increasing order (chunks are numbered as they
    /// come, titles as they are first seen, and a sweep renumbers in order), so the distances are positive and rarely
    /// escaped: a posting takes 3 bytes instead of 5, in one array instead of two. Fixed widths rather than a
    /// variable-length integer: the scoring loop then reads every posting the same way, with a branch that is never
    /// taken for a term that matters (measured: a variable-length distance cost the candidates stage ~30 %).
    /// A struct, in one array per table: 40 bytes a term where an object and its reference took 56 (at 100k chunks,
    /// 528k lists: 13 MB).
    /// A list read from a snapshot shares a large page with its neighbours (<see cref="Start"/> &gt; 0) instead of
    /// being an array of its own: a million chunks' lists were millions of small arrays for the loader to allocate
    /// and for every full collection to mark. Its first append copies it out to an array of its own.
    /// </summary>
    private struct Postings
    {
        public const int Escape = 0xFFFF;

        public byte[]? Data;

        /// <summary>Where the list starts in <see cref="Data"/>: 0 for an array of its own, more in a shared page (whose first byte no list uses).</summary>
        public int Start;
        public int Length;
        public int Count;
        public int Live;
        public long CollectionFrequency;

        /// <summary>The slot after the last posting (0: none yet), from which the next distance is counted.</summary>
        public int End;

        /// <summary>The slot of the last posting, -1 when none (what a snapshot writes).</summary>
        public readonly int Last => End - 1;

        public void Append(int slot, int frequency)
        {
            if (slot < End)
                throw new InvalidOperationException($"Postings are appended in slot order: {slot} came after {Last}.");
            if (Start > 0)
                OwnCopy(Length + 7);
            if (Length + 7 > (Data?.Length ?? 0))
                Array.Resize(ref Data, Math.Max(8, (Data?.Length ?? 0) * 2));
            Length = Write(Data!, Length, slot + 1 - End, frequency);
            End = slot + 1;
            Count++;
        }

        public readonly Cursor Read() => new(Data ?? [], Start, Length);

        /// <summary>The encoded postings (what a snapshot writes).</summary>
        public readonly ReadOnlySpan<byte> Bytes => Data.AsSpan(Start, Length);

        /// <summary>The bytes the list holds: its array, or its share of a page.</summary>
        public readonly long Footprint => Data is null ? 0 : Start > 0 ? Length : ManagedSize.ArrayOf(Data.Length, 1);

        public void Trim()
        {
            if (Data is not null && Start == 0 && Data.Length != Length)
                Array.Resize(ref Data, Length);
        }

        /// <summary>Moves a list out of its shared page into an array of its own, of at least <paramref name="capacity"/> bytes.</summary>
        private void OwnCopy(int capacity)
        {
            var own = new byte[Math.Max(8, Math.Max(capacity, Length * 2))];
            Bytes.CopyTo(own);
            (Data, Start) = (own, 0);
        }

        /// <summary>Keeps the postings whose slot <paramref name="renumbered"/> maps to a slot (not -1), under that slot: the order stays, so every distance stays positive.</summary>
        public void Renumber(int[] renumbered)
        {
            var data = new byte[Length + 7];
            var (length, count, last) = (0, 0, -1);
            var cursor = Read();
            while (cursor.Next(out var slot, out var frequency))
            {
                var kept = renumbered[slot];
                if (kept < 0)
                    continue;
                if (length + 7 > data.Length)
                    Array.Resize(ref data, data.Length * 2);
                length = Write(data, length, kept - last, frequency);
                last = kept;
                count++;
            }
            (Data, Start, Length, Count, End) = (data, 0, length, count, last + 1);
            Trim();
        }

        private static int Write(byte[] data, int at, int distance, int frequency)
        {
            if (distance < Escape)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), (ushort)distance);
                at += 2;
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), Escape);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(at + 2), distance);
                at += 6;
            }
            data[at++] = (byte)Math.Min(frequency, byte.MaxValue);
            return at;
        }

        /// <summary>An escaped distance (four bytes at <paramref name="at"/>), kept out of the scoring loops.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static int LongDistance(byte[] data, int at) => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));

        /// <summary>
        /// Reads the postings in order; a local, since it moves as it reads. <see cref="Next"/> has no loop (the rare
        /// escaped distance is read elsewhere), so it is inlined into the scoring loops, which are the candidates
        /// stage's time.
        /// </summary>
        public struct Cursor(byte[] data, int start, int length)
        {
            private readonly int _end = start + length;
            private int _at = start;
            private int _slot = -1;

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public bool Next(out int slot, out int frequency)
            {
                if (_at >= _end)
                {
                    (slot, frequency) = (0, 0);
                    return false;
                }
                int distance = data[_at] | (data[_at + 1] << 8);
                _at += 2;
                if (distance == Escape)
                {
                    distance = LongDistance(data, _at);
                    _at += 4;
                }
                _slot += distance;
                slot = _slot;
                frequency = data[_at++];
                return true;
            }
        }
    }

    private sealed class TermTable
    {
        private static readonly Postings NoPostings;

        public TermIds Ids = new();
        public Postings[] Chunks = new Postings[1024];

        /// <summary>
        /// Title postings, for the terms seen in some title only: <c>TitleSlots[id] - 1</c> into <see cref="TitleLists"/>,
        /// 0 when the term is in no title (most words of a news corpus are in texts alone: 4 bytes for those).
        /// </summary>
        public int[] TitleSlots = new int[1024];
        public Postings[] TitleLists = new Postings[256];
        public int TitleCount;
        public int Count;

        public int IdOf(string term)
        {
            if (Ids.TryGetValue(term, out var id))
                return id;
            id = Ids.Add(term);
            Count++;
            if (id == Chunks.Length)
            {
                Array.Resize(ref Chunks, id * 2);
                Array.Resize(ref TitleSlots, id * 2);
            }
            return id;
        }

        /// <summary>The title postings of <paramref name="id"/> (empty when it is in no title).</summary>
        public ref readonly Postings TitleOf(int id) => ref TitleSlots[id] == 0 ? ref NoPostings : ref TitleLists[TitleSlots[id] - 1];

        /// <summary>The title posting list of <paramref name="id"/> to write to: made at the term's first title.</summary>
        public ref Postings TitleFor(int id)
        {
            if (TitleSlots[id] == 0)
            {
                if (TitleCount == TitleLists.Length)
                    Array.Resize(ref TitleLists, TitleCount * 2);
                TitleSlots[id] = ++TitleCount;
            }
            return ref TitleLists[TitleSlots[id] - 1];
        }

        /// <summary>Forgets every posting (the terms stay).</summary>
        public void Clear()
        {
            Array.Clear(Chunks);
            Array.Clear(TitleSlots);
            Array.Clear(TitleLists);
            TitleCount = 0;
        }

        public long ChunkBytes => PostingsBytes(Chunks, Count);

        public long TitleBytes => PostingsBytes(TitleLists, TitleCount) + ManagedSize.ArrayOf(TitleSlots.Length, 4);

        private static long PostingsBytes(Postings[] postings, int count)
        {
            long bytes = ManagedSize.ArrayOf(postings.Length, 40);
            for (var i = 0; i < count; i++)
                bytes += postings[i].Footprint;
            return bytes;
        }
    }

    /// <summary>Articles sharing a title: scored as one document, their title indexed once. A struct in one array (a million titles were a million objects).</summary>
    private struct TitleGroup(WordBag titleWords, int titleLength)
    {
        public readonly WordBag TitleWords = titleWords;
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
                parts.Add(new($"postings {name} chunks", table.ChunkBytes));
                parts.Add(new($"postings {name} titles", table.TitleBytes));
                parts.Add(new($"terms {name}", table.Ids.Bytes));
            }
            parts.Add(new("vocabulary (words, their terms and grams)", _wordIds.Bytes + _words.Bytes));
            parts.Add(new("char grams", _gramIds.Bytes + ManagedSize.ArrayOf(_gramLive.Length, 4) + ManagedSize.ArrayOf(_gramStamp.Length, 4)));
            if (_gramWords is not null)
                parts.Add(new("words by gram (spelling suggestions)", _gramWords.Bytes));
            parts.Add(new("per-chunk metadata (ids, lengths, words)", ManagedSize.DictionaryOf(_slots.Count, 8, 4)
                + ManagedSize.ArrayOf(_ids.Length, 8) + 3 * ManagedSize.ArrayOf(_lengths.Length, 4) + ManagedSize.ArrayOf(_slotWords.Length, 16)
                + _slotWords.Take(_used).Sum(w => w.Footprint)));
            long groups = _groupIds.Bytes + ManagedSize.ArrayOf(_groups.Capacity, 40);
            foreach (ref var group in _groups.AsSpan())
                groups += group.TitleWords.Footprint;
            parts.Add(new("title groups", groups));
            return parts;
        }
        finally { _lock.ExitReadLock(); }
    }
}
