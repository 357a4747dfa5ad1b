using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Discord.Client.Model;

namespace ChatBot.Discord.Bot;

/// <summary>
/// A core reply as Discord messages: the text cut under 2,000 characters on paragraph boundaries (then lines, then
/// words), the sources as embeds on the last message (title, source and date, the supporting quote), within
/// Discord's embed limits.
/// </summary>
public static class DiscordReplyRenderer
{
    public const int ContentLimit = 2000;
    private const int MaxEmbeds = 10;
    private const int EmbedTotalLimit = 6000;
    private const int QuoteChars = 500;

    public static List<MessagePayload> Render(ChatReply reply, bool feedbackButtons = false)
    {
        var text = string.Join("\n\n", reply.Notes.Select(n => $"*{n}*").Append(reply.Text));
        var messages = Split(text, ContentLimit).Select(part => new MessagePayload { Content = part }).ToList();
        messages[^1] = messages[^1] with
        {
            Embeds = reply.Citations.Count > 0 && !reply.SourcesInText ? Embeds(reply) : null,
            Components = feedbackButtons ? FeedbackButtons : null,
        };
        return messages;
    }

    /// <summary>👍/👎 under an answer (an action row of two secondary buttons).</summary>
    private static readonly IReadOnlyList<ActionRow> FeedbackButtons =
        [new ActionRow([new Button("👍", Core.Conversation.Controls.FeedbackService.Up), new Button("👎", Core.Conversation.Controls.FeedbackService.Down)])];

    private static List<Embed> Embeds(ChatReply reply)
    {
        var embeds = new List<Embed>();
        var total = 0;
        foreach (var c in reply.Citations.Take(MaxEmbeds))
        {
            var title = Cut($"[{c.N}] {c.Title}", 256);
            var footer = Cut($"{c.Source ?? BotMessages.Get("source.unknown", reply.Language)} · {ReplyFormatter.FormatDate(c.Published, reply.Language)} · {c.ArticleId}", 2048);
            var quote = Cut(c.Quote, QuoteChars);
            if (total + title.Length + footer.Length + quote.Length > EmbedTotalLimit)
                break;
            total += title.Length + footer.Length + quote.Length;
            embeds.Add(new Embed
            {
                Title = title,
                Description = quote,
                Footer = new EmbedFooter(footer),
                // The title links to the article (a page fetched from the web); Discord refuses other schemes.
                Url = c.Url is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" ? link.AbsoluteUri : null,
            });
        }
        return embeds;
    }

    /// <summary>Cuts text into pieces of at most <paramref name="limit"/> characters at the best boundary available.</summary>
    public static List<string> Split(string text, int limit) =>
        MessageSplitter.Pack(text.Split("\n\n").SelectMany(paragraph => MessageSplitter.Fit(paragraph, limit)), limit);

    /// <summary>At most <paramref name="max"/> characters, with "…" when cut; never half of an emoji's surrogate pair.</summary>
    internal static string Cut(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var end = max - 1;
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
            end--;
        return text[..end] + "…";
    }
}
