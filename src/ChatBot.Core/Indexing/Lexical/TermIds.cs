using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// Strings to dense ids (0, 1, 2… in order of arrival): an open-addressing hash table of ids over the strings' own
/// array, with a hash that is the same in every process. Its slots are written to the lexical snapshot as they are and
/// read back as one array, so loading a snapshot never hashes or inserts a key again: the four dictionaries of a
/// 1M-chunk index (3.3M words, terms, grams and titles) took 1.8 s of its 5 s load as <c>Dictionary</c> inserts. It
/// also holds ~13 bytes a key (the id's slot at ≤ 3/4 full, the key's reference) where a dictionary held ~36.
/// </summary>
internal sealed class TermIds
{
    private string[] _keys;
    private int[] _slots; // a power of two long; 0: empty, otherwise id + 1

    public TermIds(int capacity = 16)
    {
        _keys = new string[Math.Max(capacity, 4)];
        _slots = new int[SlotsFor(_keys.Length)];
    }

    private TermIds(string[] keys, int count, int[] slots) => (_keys, Count, _slots) = (keys, count, slots);

    public int Count { get; private set; }

    /// <summary>The string of <paramref name="id"/>.</summary>
    public string this[int id] => _keys[id];

    public IEnumerable<string> Keys => _keys.Take(Count);

    public bool TryGetValue(ReadOnlySpan<char> key, out int id)
    {
        var mask = _slots.Length - 1;
        for (var i = (int)(Hash(key) & (uint)mask); ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                id = -1;
                return false;
            }
            if (key.SequenceEqual(_keys[slot - 1]))
            {
                id = slot - 1;
                return true;
            }
        }
    }

    public int GetValueOrDefault(ReadOnlySpan<char> key, int fallback) => TryGetValue(key, out var id) ? id : fallback;

    /// <summary>Adds <paramref name="key"/>, which must not be there yet, under the next id, and returns it.</summary>
    public int Add(string key)
    {
        if (TryGetValue(key, out _))
            throw new ArgumentException($"\"{key}\" already has an id.", nameof(key));
        var id = Count;
        if (id == _keys.Length)
            Array.Resize(ref _keys, id * 2);
        _keys[id] = key;
        Count = id + 1;
        if (_slots.Length < SlotsFor(Count))
            Rehash(SlotsFor(Count));
        else
            Place(_slots, key, id);
        return id;
    }

    /// <summary>The slots and the keys' count, for the snapshot (the keys are written by their owner, by id).</summary>
    public void WriteSlots(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(_slots.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_slots.AsSpan()));
    }

    /// <summary>The table written by <see cref="WriteSlots"/>, over <paramref name="keys"/> (by id, as written); null when they do not match.</summary>
    public static TermIds? ReadSlots(SnapshotReader reader, string[] keys)
    {
        var count = reader.ReadInt32();
        var length = LexicalIndex.ReadCount(reader, 4);
        if (count != keys.Length || length < SlotsFor(count) || (length & (length - 1)) != 0)
            return null;
        var slots = new int[length];
        reader.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(slots.AsSpan()));
        var capacity = Math.Max(count, 4);
        if (keys.Length < capacity)
            Array.Resize(ref keys, capacity);
        return new TermIds(keys, count, slots);
    }

    public long Bytes => ManagedSize.ArrayOf(_keys.Length, ManagedSize.Reference) + ManagedSize.ArrayOf(_slots.Length, 4)
        + Keys.Sum(k => ManagedSize.Text(k.Length));

    /// <summary>Slots for <paramref name="count"/> keys at most three quarters full, a power of two.</summary>
    private static int SlotsFor(int count) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, count + count / 3 + 1));

    private void Rehash(int length)
    {
        var slots = new int[length];
        for (var id = 0; id < Count; id++)
            Place(slots, _keys[id], id);
        _slots = slots;
    }

    private static void Place(int[] slots, string key, int id)
    {
        var mask = slots.Length - 1;
        var i = (int)(Hash(key) & (uint)mask);
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = id + 1;
    }

    /// <summary>FNV-1a over the characters, then a finaliser that spreads it over the low bits: the same in every process.</summary>
    private static uint Hash(ReadOnlySpan<char> key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
            hash = (hash ^ c) * 16777619u;
        hash ^= hash >> 16;
        hash *= 0x85EBCA6Bu;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35u;
        return hash ^ (hash >> 16);
    }
}
