using System.Text;
using ChatBot.Core.Indexing.Lexical;

namespace ChatBot.Tests.Storage;

/// <summary>The snapshot's own reader reads back what <see cref="BinaryWriter"/> wrote, across its buffer's refills.</summary>
public sealed class SnapshotReaderTests
{
    [Fact]
    public void It_reads_back_what_a_binary_writer_wrote_across_refills_of_a_small_buffer()
    {
        var longText = string.Concat(Enumerable.Repeat("Téhéran–Moscou ", 40)); // longer than the buffer, multi-byte characters
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            for (var i = 0; i < 50; i++)
            {
                writer.Write(i * 1_000_003);
                writer.Write(-7L * i << 40);
                writer.Write(i % 2 == 0);
                writer.Write($"mot{i}é");
                writer.Write((byte)i);
            }
            writer.Write(longText);
            writer.Write(new byte[300].Select((_, i) => (byte)i).ToArray());
        }

        stream.Position = 0;
        var reader = new SnapshotReader(stream, stream.Length, bufferBytes: 64);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i * 1_000_003, reader.ReadInt32());
            Assert.Equal(-7L * i << 40, reader.ReadInt64());
            Assert.Equal(i % 2 == 0, reader.ReadBoolean());
            Assert.Equal($"mot{i}é", reader.ReadString());
            Assert.Equal((byte)i, reader.ReadByte());
        }
        Assert.Equal(longText, reader.ReadString());
        var bytes = new byte[300];
        reader.ReadExactly(bytes);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (byte)i), bytes);
        Assert.Equal(0, reader.Remaining);
        Assert.Throws<EndOfStreamException>(() => reader.ReadInt32());
    }

    [Fact]
    public void A_string_longer_than_what_is_left_is_refused_before_it_is_read()
    {
        using var stream = new MemoryStream([0xFF, 0xFF, 0x03, (byte)'a']); // a length of 65,535 bytes, then one byte
        var reader = new SnapshotReader(stream, stream.Length);

        Assert.Throws<InvalidDataException>(() => reader.ReadString());
    }
}
