using System.Globalization;
using System.Text;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion.Sources;

namespace ChatBot.Core.Conversation.Commands.Sources;

/// <summary><c>/sources</c>: the corpus as a list (title, source, date, id), cut into pages that fit a message.</summary>
public sealed class SourcesCatalog(ArticleCatalog catalog, ISourceBoard? board = null)
{
    public async Task<ChatReply> PageAsync(int page, int maxChars, Language language, CancellationToken cancellationToken)
    {
        var articles = await catalog.ListAsync(cancellationToken);
        // The followed web sources and their state come first, on the first page.
        var followed = page <= 1 ? Followed(language, maxChars / 2) : "";
        if (articles.Count == 0)
            return ChatReply.Plain(followed + BotMessages.Get("sources.empty", language), language);

        var lines = articles.Select(a =>
            $"• {a.Title} — {a.Source ?? BotMessages.Get("source.unknown", language)}, {ReplyFormatter.FormatDate(a.Published, language)} ({a.Id})").ToList();
        // Room for the header and the "next page" line, whatever the page numbers.
        var budget = maxChars - 120 - followed.Length;
        var pages = new List<List<string>> { new() };
        var used = 0;
        foreach (var line in lines)
        {
            var entry = line.Length > budget ? line[..(budget - 1)] + "…" : line;
            if (used + entry.Length + 1 > budget && pages[^1].Count > 0)
            {
                pages.Add([]);
                used = 0;
            }
            pages[^1].Add(entry);
            used += entry.Length + 1;
        }
        var index = Math.Clamp(page, 1, pages.Count);
        var text = new StringBuilder(followed).Append(BotMessages.Get("sources.header", language, articles.Count, index, pages.Count));
        foreach (var line in pages[index - 1])
            text.Append('\n').Append(line);
        if (index < pages.Count)
            text.Append("\n\n").Append(BotMessages.Get("sources.next", language, index + 1));
        return ChatReply.Plain(text.ToString(), language);
    }

    /// <summary>One line per followed source: its address, how many articles it gave, and its health.</summary>
    private string Followed(Language language, int budget)
    {
        var sources = board?.Sources ?? [];
        if (sources.Count == 0)
            return "";
        var text = new StringBuilder(BotMessages.Get("sources.web", language, sources.Count));
        foreach (var s in sources)
        {
            var state = s.LastError is { } error ? BotMessages.Get("sources.web.error", language, error)
                : s.LastSuccess is { } ok ? BotMessages.Get("sources.web.ok", language, ok.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
                : BotMessages.Get("sources.web.never", language);
            var next = s.NextTry is { } at ? ", " + BotMessages.Get("sources.web.next", language, at.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)) : "";
            var line = $"\n• {s.Url} — {BotMessages.Get("sources.web.articles", language, s.Articles)}, {state}{next}";
            if (text.Length + line.Length > budget)
                break;
            text.Append(line);
        }
        return text.Append("\n\n").ToString();
    }
}
