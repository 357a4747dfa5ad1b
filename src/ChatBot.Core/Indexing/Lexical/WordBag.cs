namespace ChatBot.Core.Indexing.Lexical;

/// <summary>A word of a <see cref="WordBag"/>: its vocabulary id and how often it occurs (capped at 255).</summary>
internal readonly record struct WordCount(int Word, int Frequency);

/// <summary>
/// The distinct words of a chunk or a title with their frequencies, as bytes: by increasing word id, each word is the
/// distance from the previous id shifted left once, in 7-bit groups, its low bit set when a frequency byte follows
/// (a word that occurs once, most of them, has none). About 2 bytes a word where a packed int took 4: at 100k chunks
/// the chunks' word lists were the index's largest structure. They are read whole (removal, the reranker's per-chunk
/// statistics, the snapshot), never searched, so the variable length costs nothing that matters.
/// A bag read from a snapshot is a slice of a shared page (see <see cref="BytePages"/>); one built from a text has an
/// array of its own. Bags never change, so a shared one never needs copying out.
/// </summary>
internal readonly struct WordBag
{
    public static readonly WordBag Empty = new([]);

    private readonly byte[]? _data;
    private readonly int _start;

    public WordBag(byte[] data) : this(data, 0, data.Length) { }

    public WordBag(byte[] data, int start, int length) => (_data, _start, Length) = (data, start, length);

    /// <summary>How many encoded bytes the bag takes.</summary>
    public int Length { get; }

    /// <summary>The encoded bytes (what a snapshot writes).</summary>
    public ReadOnlySpan<byte> Bytes => _data.AsSpan(_start, Length);

    /// <summary>The memory the bag holds: its array, or its share of a page.</summary>
    public long Footprint => _data is null || Length == 0 ? 0 : _start == 0 && _data.Length == Length ? ManagedSize.ArrayOf(Length, 1) : Length;

    /// <summary>A bag of <paramref name="sortedIds"/>: word ids in increasing order, a word repeated once per occurrence.</summary>
    public static WordBag Of(ReadOnlySpan<int> sortedIds)
    {
        if (sortedIds.IsEmpty)
            return Empty;
        Span<byte> stack = stackalloc byte[512];
        var buffer = sortedIds.Length * 6 <= stack.Length ? stack : new byte[sortedIds.Length * 6];
        var (at, previous, i) = (0, 0, 0);
        while (i < sortedIds.Length)
        {
            var word = sortedIds[i];
            if (i > 0 && word <= sortedIds[i - 1])
                throw new ArgumentException("Word ids must come in increasing order.", nameof(sortedIds));
            var run = 1;
            while (i + run < sortedIds.Length && sortedIds[i + run] == word)
                run++;
            var frequency = Math.Min(run, byte.MaxValue);
            var value = (uint)(word - previous) << 1 | (frequency > 1 ? 1u : 0u);
            while (value >= 0x80)
            {
                buffer[at++] = (byte)(value | 0x80);
                value >>= 7;
            }
            buffer[at++] = (byte)value;
            if (frequency > 1)
                buffer[at++] = (byte)frequency;
            previous = word;
            i += run;
        }
        return new WordBag(buffer[..at].ToArray());
    }

    public Enumerator GetEnumerator() => new(_data ?? [], _start, Length);

    public struct Enumerator(byte[] data, int start, int length)
    {
        private readonly int _end = start + length;
        private int _at = start;
        private int _word;

        public WordCount Current { get; private set; }

        public bool MoveNext()
        {
            if (_at >= _end)
                return false;
            uint value = 0;
            var shift = 0;
            byte next;
            do
            {
                next = data[_at++];
                value |= (uint)(next & 0x7F) << shift;
                shift += 7;
            }
            while (next >= 0x80);
            _word += (int)(value >> 1);
            Current = new WordCount(_word, (value & 1) != 0 ? data[_at++] : 1);
            return true;
        }
    }
}
