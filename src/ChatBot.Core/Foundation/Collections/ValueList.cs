namespace ChatBot.Core.Foundation.Collections;

/// <summary>
/// A growable array of structs handed out by reference: what <see cref="List{T}"/> of a class gave (one object per
/// element, changed in place) without an object per element. A reference is good until the next <see cref="Add"/>.
/// </summary>
public sealed class ValueList<T> where T : struct
{
    private T[] _items = [];

    public int Count { get; private set; }

    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The list holds {Count}.");
            return ref _items[index];
        }
    }

    /// <summary>The slots allocated (what the list holds in memory).</summary>
    public int Capacity => _items.Length;

    public void Add(in T item)
    {
        if (Count == _items.Length)
            Array.Resize(ref _items, Math.Max(16, Count * 2));
        _items[Count++] = item;
    }

    public void EnsureCapacity(int capacity)
    {
        if (capacity > _items.Length)
            Array.Resize(ref _items, capacity);
    }

    public Span<T> AsSpan() => _items.AsSpan(0, Count);
}
