namespace ChatBot.Core.Indexing;

/// <summary>One structure of the in-memory index and the bytes it holds (objects, arrays and strings, on a 64-bit runtime).</summary>
public readonly record struct MemoryPart(string Structure, long Bytes);

/// <summary>
/// Sizes of managed objects on a 64-bit runtime, to count what an index structure holds from the structure itself
/// (array lengths, entry counts, string lengths) rather than from a heap dump: an object header and method table
/// pointer are 16 bytes, an array adds its length (24 in all before the elements), a string is 22 bytes plus two per
/// character, everything rounded up to 8.
/// </summary>
public static class ManagedSize
{
    public const int ObjectHeader = 16;
    public const int Reference = 8;

    public static long ArrayOf(long length, int elementBytes) => Round(24 + length * elementBytes);

    public static long Text(int length) => Round(22 + 2L * length);

    public static long Instance(int fieldBytes) => Round(ObjectHeader + fieldBytes);

    /// <summary>A <see cref="Dictionary{TKey,TValue}"/> of <paramref name="capacity"/> slots: its buckets (int) and entries (hash, next, key, value).</summary>
    public static long DictionaryOf(int capacity, int keyBytes, int valueBytes) =>
        Instance(80) + ArrayOf(capacity, 4) + ArrayOf(capacity, Round(8 + keyBytes + valueBytes));

    private static long Round(long bytes) => (bytes + 7) / 8 * 8;

    private static int Round(int bytes) => (bytes + 7) / 8 * 8;
}
