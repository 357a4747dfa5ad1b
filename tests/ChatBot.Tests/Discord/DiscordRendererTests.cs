using ChatBot.Core.Answering.Chat;
using ChatBot.Discord.Bot;

namespace ChatBot.Tests.Discord;

public sealed class DiscordRendererTests
{
    [Theory]
    [InlineData(1999)]
    [InlineData(1998)]
    [InlineData(1000)]
    public void A_long_reply_is_never_cut_through_an_emoji(int before)
    {
        var text = new string('x', before) + string.Concat(Enumerable.Repeat("😀", 20));

        var parts = DiscordReplyRenderer.Split(text, 2000);

        Assert.All(parts, p => Assert.True(p.Length <= 2000));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1]), "a part ends with half an emoji"));
        Assert.All(parts, p => Assert.False(char.IsLowSurrogate(p[0]), "a part starts with half an emoji"));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void An_embed_title_cut_to_its_limit_keeps_whole_emoji()
    {
        var title = new string('t', 250) + string.Concat(Enumerable.Repeat("🇮🇷", 5));
        var reply = new ChatReply("Réponse [1]", true, [new Citation(1, "a", title, "AFP", new DateOnly(2024, 1, 1), null, "citation")], Core.Foundation.Text.Language.French, [], ReplyTimings.None);

        var rendered = DiscordReplyRenderer.Render(reply, feedbackButtons: false)[0].Embeds![0].Title;

        Assert.True(rendered.Length <= 256);
        Assert.EndsWith("…", rendered, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(rendered[^2]));
    }

    [Fact]
    public void A_citation_with_a_web_address_links_its_embed_title_and_other_schemes_do_not()
    {
        var reply = new ChatReply("Réponse [1] [2]", true,
        [
            new Citation(1, "a", "Une escadre à Bandar Abbas", "Le Quotidien", new DateOnly(2025, 3, 3), "https://news.example/a", "citation"),
            new Citation(2, "b", "Piège", "X", null, "javascript:alert(1)", "citation"),
        ], Core.Foundation.Text.Language.French, [], ReplyTimings.None);

        var embeds = DiscordReplyRenderer.Render(reply, feedbackButtons: false)[0].Embeds!;

        Assert.Equal("https://news.example/a", embeds[0].Url);
        Assert.Null(embeds[1].Url);
    }
}
