namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// Hands out room for many small byte runs in a few large arrays, as a snapshot is read: a run is a slice of a page
/// rather than an array of its own, so that a million chunks' posting lists and word lists are tens of arrays instead
/// of millions (each small array cost the loader an allocation and every full collection a mark; pages of this size
/// sit in the large object heap, which is not compacted). A page's first byte is never handed out, so a slice that
/// starts at 0 is always an array of its own; a run too large to share a page gets one.
/// </summary>
internal sealed class BytePages(int pageSize = BytePages.DefaultPageSize)
{
    public const int DefaultPageSize = 4 << 20;

    private byte[]? _page;
    private int _used;

    /// <summary>Room for <paramref name="length"/> bytes: the array and where in it they go.</summary>
    public (byte[] Array, int Start) Take(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (length > pageSize / 8)
            return (new byte[length], 0);
        if (_page is null || _used + length > _page.Length)
            (_page, _used) = (new byte[pageSize], 1);
        var start = _used;
        _used += length;
        return (_page, start);
    }
}
