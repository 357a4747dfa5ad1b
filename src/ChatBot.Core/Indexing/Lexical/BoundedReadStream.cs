namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// Reads a stream up to <paramref name="length"/> bytes (a snapshot without its seal), knowing at every read how many
/// are left without asking the file system: the snapshot reader checks each count it meets against what is left.
/// </summary>
public sealed class BoundedReadStream(Stream inner, long length) : Stream
{
    private readonly long _length = length;
    private long _left = length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _length - _left; set => throw new NotSupportedException(); }

    /// <summary>The bytes not yet read.</summary>
    public long Left => _left;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    // Overridden so that the snapshot's millions of four-byte reads go straight to the inner stream: Stream's default
    // rents a pooled array, reads into it and copies out, for every one.
    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0)
            return 0;
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= read;
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
