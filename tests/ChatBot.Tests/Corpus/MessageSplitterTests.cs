using ChatBot.Core.Foundation.Text;

namespace ChatBot.Tests.Corpus;

/// <summary>The one splitter both renderers use.</summary>
public sealed class MessageSplitterTests
{
    [Fact]
    public void A_long_text_is_cut_at_a_line_break_else_a_space_else_anywhere_but_inside_an_emoji()
    {
        Assert.Equal(11, MessageSplitter.BoundaryBefore("premier mot\nsecond mot et suite", 16)); // the line break
        Assert.Equal(7, MessageSplitter.BoundaryBefore("premier second troisieme", 12)); // a space
        Assert.Equal(10, MessageSplitter.BoundaryBefore("abcdefghijklmnop", 10)); // anywhere
        Assert.Equal(9, MessageSplitter.BoundaryBefore("abcdefghi😀jkl", 10)); // not between the two halves of 😀

        var pieces = MessageSplitter.Fit(string.Concat(Enumerable.Repeat("mot ", 30)), 25).ToList();
        Assert.All(pieces, p => Assert.True(p.Length <= 25));
        Assert.Equal(30, string.Join(' ', pieces).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Pieces_are_packed_a_blank_line_apart_while_a_message_has_room()
    {
        var messages = MessageSplitter.Pack(["aaaa", "bbbb", "cccc"], 10);

        Assert.Equal(["aaaa\n\nbbbb", "cccc"], messages);
        Assert.Equal([""], MessageSplitter.Pack([], 10));
    }
}
