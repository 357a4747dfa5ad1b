using ChatBot.Core.Indexing.Lexical;

namespace ChatBot.Tests.Storage;

/// <summary>The lexical index's string → id tables, whose slots the snapshot writes and reads back as they are.</summary>
public sealed class TermIdsTests
{
    [Fact]
    public void Ids_come_in_order_of_arrival_and_are_found_from_strings_and_spans_after_growing()
    {
        var ids = new TermIds();
        var words = Enumerable.Range(0, 20_000).Select(i => $"mot{i * 7919 % 100_003}").Distinct().ToList();

        Assert.Equal(Enumerable.Range(0, words.Count), words.Select(ids.Add));

        Assert.Equal(words.Count, ids.Count);
        Assert.All(Enumerable.Range(0, words.Count), i => Assert.Equal(i, ids.GetValueOrDefault(words[i], -1)));
        Assert.True(ids.TryGetValue(("x" + words[123]).AsSpan(1), out var fromSpan));
        Assert.Equal(123, fromSpan);
        Assert.False(ids.TryGetValue("absent", out _));
        Assert.Equal("mot0", ids[0]);
        Assert.Throws<ArgumentException>(() => ids.Add(words[3]));
    }

    [Fact]
    public void The_slots_read_back_find_every_key_and_take_new_ones_and_a_mismatch_is_refused()
    {
        var ids = new TermIds();
        var words = Enumerable.Range(0, 5_000).Select(i => $"terme{i}").ToList();
        words.ForEach(w => ids.Add(w));
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            ids.WriteSlots(writer);

        stream.Position = 0;
        var back = TermIds.ReadSlots(new SnapshotReader(stream, stream.Length), words.ToArray());
        stream.Position = 0;
        var wrong = TermIds.ReadSlots(new SnapshotReader(stream, stream.Length), words.Take(10).ToArray());

        Assert.NotNull(back);
        Assert.All(Enumerable.Range(0, words.Count), i => Assert.Equal(i, back.GetValueOrDefault(words[i], -1)));
        Assert.Equal(5_000, back.Add("nouveau"));
        Assert.Equal(5_000, back.GetValueOrDefault("nouveau", -1));
        Assert.Equal(17, back.GetValueOrDefault("terme17", -1));
        Assert.Null(wrong);
    }
}
