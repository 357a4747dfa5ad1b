using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// Reads what <see cref="BinaryWriter"/> wrote to a snapshot (little-endian numbers, strings as a 7-bit encoded byte
/// length and UTF-8) from a buffer of its own. A 1M-chunk snapshot is tens of millions of small values: read through
/// <see cref="BinaryReader"/>, each one was a call down the stream's layers, about half of a 4.4 s load.
/// </summary>
public sealed class SnapshotReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _position;
    private int _end;
    private long _unread;

    /// <param name="length">The bytes the stream holds from here (long.MaxValue when unknown): every count read is checked against them.</param>
    public SnapshotReader(Stream stream, long length, int bufferBytes = 1 << 20)
    {
        _stream = stream;
        _buffer = new byte[Math.Max(bufferBytes, 64)];
        _unread = length;
    }

    /// <summary>The bytes not yet read.</summary>
    public long Remaining => _unread == long.MaxValue ? long.MaxValue : _unread + (_end - _position);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32()
    {
        Ensure(4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_position));
        _position += 4;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64()
    {
        Ensure(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_position));
        _position += 8;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        Ensure(1);
        return _buffer[_position++];
    }

    public bool ReadBoolean() => ReadByte() != 0;

    public string ReadString()
    {
        var length = Read7BitEncodedInt();
        if (length < 0 || length > Remaining)
            throw new InvalidDataException($"A string of {length} bytes does not fit in what is left of the snapshot.");
        if (length <= _buffer.Length)
        {
            Ensure(length);
            var text = Encoding.UTF8.GetString(_buffer, _position, length);
            _position += length;
            return text;
        }
        return Encoding.UTF8.GetString(ReadBytes(length));
    }

    public byte[] ReadBytes(int count)
    {
        var bytes = new byte[count];
        ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Fills <paramref name="target"/>: from the buffer first, then straight from the stream.</summary>
    public void ReadExactly(Span<byte> target)
    {
        var buffered = Math.Min(target.Length, _end - _position);
        _buffer.AsSpan(_position, buffered).CopyTo(target);
        _position += buffered;
        var rest = target[buffered..];
        if (rest.IsEmpty)
            return;
        if (rest.Length > _unread)
            throw new EndOfStreamException();
        _stream.ReadExactly(rest);
        if (_unread != long.MaxValue)
            _unread -= rest.Length;
    }

    private int Read7BitEncodedInt()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();
            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
                return (int)result;
        }
        throw new InvalidDataException("A string length in the snapshot is not a 7-bit encoded number.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_end - _position < count)
            Refill(count);
    }

    /// <summary>Moves what is left to the buffer's start and reads after it until <paramref name="count"/> bytes are there.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refill(int count)
    {
        var left = _end - _position;
        _buffer.AsSpan(_position, left).CopyTo(_buffer);
        (_position, _end) = (0, left);
        while (_end < count)
        {
            var want = (int)Math.Min(_buffer.Length - _end, _unread);
            var read = want == 0 ? 0 : _stream.Read(_buffer, _end, want);
            if (read == 0)
                throw new EndOfStreamException();
            _end += read;
            if (_unread != long.MaxValue)
                _unread -= read;
        }
    }
}
