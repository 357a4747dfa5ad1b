using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Telegram.Sending;
using ChatBot.Tests.Support.Telegram;

namespace ChatBot.Tests.Telegram;

public sealed class TelegramHtmlTests
{
    private static ChatReply Reply(string text, params Citation[] citations) =>
        new(text, citations.Length > 0, citations, Language.French, [], ReplyTimings.None);

    [Fact]
    public void A_5000_character_answer_becomes_two_valid_messages_cut_at_a_paragraph()
    {
        var paragraph = string.Concat(Enumerable.Repeat("Moscou & Téhéran <coopèrent> sur « tout ». ", 30)).Trim();
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 4));
        var reply = Reply(text, new Citation(1, "a", "Titre <b>piégé</b> & co", "AFP", new DateOnly(2024, 11, 24), null, "q"));

        var messages = TelegramHtml.Render(reply);

        Assert.True(text.Length > 5000);
        Assert.Equal(2, messages.Count);
        foreach (var message in messages)
        {
            var (visible, error) = TelegramHtmlValidator.Parse(message);
            Assert.Null(error);
            Assert.True(message.Length <= 4096);
            Assert.StartsWith("Moscou & Téhéran", visible, StringComparison.Ordinal);
        }
        Assert.Contains("[1] <b>Titre &lt;b&gt;piégé&lt;/b&gt; &amp; co</b> — AFP, 24 novembre 2024", messages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_citation_with_an_address_links_its_title_and_one_without_a_web_address_does_not()
    {
        var reply = Reply("Réponse.", new Citation(1, "a", "Une escadre à Bandar Abbas", "Le Quotidien", new DateOnly(2025, 3, 3), "https://news.example/a?id=1&p=2", "q"),
            new Citation(2, "b", "Piège", "X", null, "javascript:alert(1)", "q"));

        var message = Assert.Single(TelegramHtml.Render(reply));

        Assert.Contains("[1] <a href=\"https://news.example/a?id=1&amp;p=2\"><b>Une escadre à Bandar Abbas</b></a> — Le Quotidien, 3 mars 2025", message, StringComparison.Ordinal);
        Assert.Contains("[2] <b>Piège</b> — X", message, StringComparison.Ordinal);
        Assert.Null(TelegramHtmlValidator.Parse(message).Error);
    }

    [Fact]
    public void A_single_paragraph_longer_than_a_message_is_cut_between_words_and_never_inside_an_entity()
    {
        var text = string.Concat(Enumerable.Repeat("a&b ", 3000));

        var messages = TelegramHtml.Render(Reply(text));

        Assert.True(messages.Count >= 3);
        Assert.All(messages, m => Assert.Null(TelegramHtmlValidator.Parse(m).Error));
        Assert.All(messages, m => Assert.True(m.Length <= 4096));
        Assert.Equal(text.Trim().Replace(" ", "", StringComparison.Ordinal), string.Concat(messages.Select(m => TelegramHtmlValidator.Parse(m).Visible!.Replace(" ", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void Emoji_are_not_split_between_messages()
    {
        var text = new string('x', 4093) + "😀😀😀";

        var messages = TelegramHtml.Render(Reply(text));

        Assert.All(messages, m => Assert.False(char.IsHighSurrogate(m[^1])));
        Assert.Equal(text, string.Concat(messages));
    }
}
