using System.Runtime.InteropServices;
using System.Text;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// The index written to a file and read back as it was, so that a restart need not analyse every chunk again (at
/// 100k chunks: about half a second to read where analysing takes ten). The header names the analysis the index was
/// built with and the store's position it reflects; a store trusts a snapshot only when both still hold.
/// </summary>
public sealed partial class LexicalIndex
{
    private const int SnapshotMagic = 0x584C4243; // "CBLX"
    private const int SnapshotFormat = 8; // 2: function words in each chunk's word list, gram frequencies per chunk; 3: all-word length; 4: sealed by the store (SHA-256 trailer); 5: postings as variable-length distances; 6: as two-byte distances; 7: word lists as byte bags; 8: the hash tables' slots as written

    /// <summary>The snapshot format this build writes; an older one is rebuilt without complaint.</summary>
    public static int CurrentSnapshotFormat => SnapshotFormat;

    /// <summary>The format number of the snapshot in <paramref name="stream"/> (from its start), or null when it is no snapshot.</summary>
    public static int? FormatOf(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            return reader.ReadInt32() == SnapshotMagic ? reader.ReadInt32() : null;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>What a snapshot reflects: the analysis version and a store-defined position (a generation, a change-log sequence).</summary>
    public readonly record struct SnapshotHeader(string Analysis, long Position);

    public void Save(Stream stream, long position)
    {
        _lock.EnterReadLock();
        try
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(SnapshotMagic);
            writer.Write(SnapshotFormat);
            writer.Write(_analysers.Version);
            writer.Write(position);

            writer.Write(_words.Count);
            for (var id = 0; id < _words.Count; id++)
            {
                writer.Write(_words.Folded(id));
                writer.Write(_words.IsIndexed(id));
                if (_words.IsIndexed(id))
                    WriteInts(writer, _words.Terms(id));
                WriteInts(writer, _words.Grams(id));
                writer.Write(_words.Live(id));
            }
            _wordIds.WriteSlots(writer);
            foreach (var table in _tables)
            {
                writer.Write(table.Count);
                for (var t = 0; t < table.Count; t++)
                {
                    writer.Write(table.Ids[t]);
                    WritePostings(writer, table.Chunks[t]);
                    WritePostings(writer, table.TitleOf(t));
                }
                table.Ids.WriteSlots(writer);
            }
            writer.Write(_gramIds.Count);
            foreach (var gram in _gramIds.Keys)
                writer.Write(gram);
            _gramIds.WriteSlots(writer);
            WriteInts(writer, _gramLive.AsSpan(0, _gramIds.Count));

            writer.Write(_groups.Count);
            for (var g = 0; g < _groups.Count; g++)
            {
                var group = _groups[g];
                writer.Write(_groupIds[g]);
                WriteBytes(writer, group.TitleWords.Bytes);
                writer.Write(group.TitleLength);
                writer.Write(group.LiveChunks);
                writer.Write(group.Length);
                writer.Write(group.Indexed);
            }
            _groupIds.WriteSlots(writer);

            writer.Write(_used);
            writer.Write(MemoryMarshal.AsBytes(_ids.AsSpan(0, _used)));
            WriteInts(writer, _groupOf.AsSpan(0, _used));
            WriteInts(writer, _lengths.AsSpan(0, _used));
            WriteInts(writer, _gramLengths.AsSpan(0, _used));
            for (var slot = 0; slot < _used; slot++)
                WriteBytes(writer, _slotWords[slot].Bytes);
            writer.Write(_live);
            writer.Write(_liveLength);
            writer.Write(_liveGramLength);
            writer.Write(_liveWordLength);
            writer.Write(_liveGroups);
            writer.Write(_liveTitleLength);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The header of a snapshot, or null when the stream is not one this build can read.</summary>
    public static SnapshotHeader? ReadHeader(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadInt32() != SnapshotMagic || reader.ReadInt32() != SnapshotFormat)
                return null;
            return new SnapshotHeader(reader.ReadString(), reader.ReadInt64());
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>An index read back from <paramref name="stream"/> (positioned at its start), or null when it is not a snapshot of this analysis.</summary>
    public static LexicalIndex? Load(Stream stream, WordAnalysers? analysers = null)
    {
        analysers ??= WordAnalysers.Shared;
        if (ReadHeader(stream) is not { } header || header.Analysis != analysers.Version)
            return null;
        var reader = new SnapshotReader(stream, Remaining(stream));
        var index = new LexicalIndex(analysers);
        var pages = new BytePages();

        var words = ReadCount(reader, 10);
        var wordKeys = new string[words];
        var (termBuffer, gramBuffer) = (new int[WordAnalysers.Count], new int[64]);
        for (var i = 0; i < words; i++)
        {
            var folded = wordKeys[i] = reader.ReadString();
            var indexed = reader.ReadBoolean();
            var terms = indexed ? ReadInts(reader, ref termBuffer) : default;
            var wordGrams = ReadInts(reader, ref gramBuffer);
            index._words.Add(folded, terms, wordGrams, indexed && analysers.Analyzer.IsFunctionWord(folded), live: reader.ReadInt32());
        }
        index._wordIds = TermIds.ReadSlots(reader, wordKeys) ?? throw new InvalidDataException("The words' table does not match its words.");
        foreach (var table in index._tables)
        {
            var count = ReadCount(reader, 49);
            table.Chunks = new Postings[Math.Max(count, 1024)];
            table.TitleSlots = new int[Math.Max(count, 1024)];
            var names = new string[count];
            for (var t = 0; t < count; t++)
            {
                names[t] = reader.ReadString();
                table.Chunks[t] = ReadPostings(reader, pages);
                var title = ReadPostings(reader, pages);
                if (title.Count > 0 || title.Live > 0 || title.CollectionFrequency > 0)
                    table.TitleFor(t) = title;
            }
            table.Count = count;
            table.Ids = TermIds.ReadSlots(reader, names) ?? throw new InvalidDataException("A term table does not match its terms.");
        }
        var grams = ReadCount(reader, 6);
        var gramKeys = new string[grams];
        for (var g = 0; g < grams; g++)
            gramKeys[g] = reader.ReadString();
        index._gramIds = TermIds.ReadSlots(reader, gramKeys) ?? throw new InvalidDataException("The grams' table does not match its grams.");
        var gramLive = ReadInts(reader);
        index._gramLive = new int[Math.Max(gramLive.Length * 2, 4096)];
        gramLive.CopyTo(index._gramLive, 0);

        var groups = ReadCount(reader, 22);
        var groupKeys = new string[groups];
        index._groups.EnsureCapacity(groups);
        for (var g = 0; g < groups; g++)
        {
            groupKeys[g] = reader.ReadString();
            index._groups.Add(new TitleGroup(ReadBag(reader, pages), reader.ReadInt32())
            {
                LiveChunks = reader.ReadInt32(),
                Length = reader.ReadInt64(),
                Indexed = reader.ReadBoolean(),
            });
        }
        index._groupIds = TermIds.ReadSlots(reader, groupKeys) ?? throw new InvalidDataException("The titles' table does not match its titles.");

        var used = ReadCount(reader, 24);
        index.EnsureCapacity(used);
        index._slots.EnsureCapacity(used);
        reader.ReadExactly(MemoryMarshal.AsBytes(index._ids.AsSpan(0, used)));
        ReadInts(reader).CopyTo(index._groupOf, 0);
        ReadInts(reader).CopyTo(index._lengths, 0);
        ReadInts(reader).CopyTo(index._gramLengths, 0);
        for (var slot = 0; slot < used; slot++)
        {
            index._slotWords[slot] = ReadBag(reader, pages);
            if (index._lengths[slot] >= 0)
                index._slots[index._ids[slot]] = slot;
        }
        index._used = used;
        index._live = reader.ReadInt32();
        index._liveLength = reader.ReadInt64();
        index._liveGramLength = reader.ReadInt64();
        index._liveWordLength = reader.ReadInt64();
        index._liveGroups = reader.ReadInt32();
        index._liveTitleLength = reader.ReadInt64();
        return index;
    }

    private static void WritePostings(BinaryWriter writer, in Postings postings)
    {
        writer.Write(postings.Live);
        writer.Write(postings.CollectionFrequency);
        writer.Write(postings.Count);
        writer.Write(postings.Last);
        writer.Write(postings.Length);
        writer.Write(postings.Bytes);
    }

    private static Postings ReadPostings(SnapshotReader reader, BytePages pages)
    {
        var live = reader.ReadInt32();
        var cf = reader.ReadInt64();
        var count = reader.ReadInt32();
        var last = reader.ReadInt32();
        var length = ReadCount(reader, 1);
        var (data, start) = length == 0 ? (null, 0) : pages.Take(length);
        if (data is not null)
            reader.ReadExactly(data.AsSpan(start, length));
        return new Postings { Data = data, Start = start, Length = length, Count = count, End = last + 1, Live = live, CollectionFrequency = cf };
    }

    private static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static WordBag ReadBag(SnapshotReader reader, BytePages pages)
    {
        var length = ReadCount(reader, 1);
        if (length == 0)
            return WordBag.Empty;
        var (data, start) = pages.Take(length);
        reader.ReadExactly(data.AsSpan(start, length));
        return new WordBag(data, start, length);
    }

    private static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    private static int[] ReadInts(SnapshotReader reader)
    {
        var count = ReadCount(reader, 4);
        if (count == 0)
            return [];
        var values = new int[count];
        reader.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Ints read into <paramref name="buffer"/> (grown when too small), for values copied elsewhere at once.</summary>
    private static ReadOnlySpan<int> ReadInts(SnapshotReader reader, ref int[] buffer)
    {
        var count = ReadCount(reader, 4);
        if (count > buffer.Length)
            buffer = new int[Math.Max(count, buffer.Length * 2)];
        var values = buffer.AsSpan(0, count);
        reader.ReadExactly(MemoryMarshal.AsBytes(values));
        return values;
    }

    /// <summary>
    /// A count read from the snapshot, checked against the bytes left (each element takes at least
    /// <paramref name="bytesEach"/>): a damaged count fails here, before it allocates, so that a snapshot can be read
    /// while its checksum is still being computed beside it.
    /// </summary>
    internal static int ReadCount(SnapshotReader reader, int bytesEach)
    {
        var count = reader.ReadInt32();
        if (count < 0 || (long)count * bytesEach > reader.Remaining)
            throw new InvalidDataException($"A count of {count} does not fit in what is left of the snapshot.");
        return count;
    }

    private static long Remaining(Stream stream)
    {
        if (stream is BoundedReadStream bounded)
            return bounded.Left;
        if (!stream.CanSeek)
            return long.MaxValue;
        try { return stream.Length - stream.Position; }
        catch (NotSupportedException) { return long.MaxValue; }
    }
}
