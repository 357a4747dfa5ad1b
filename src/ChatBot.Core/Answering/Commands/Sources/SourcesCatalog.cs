using System.Text;
using ChatBot.Core.Chat;
using ChatBot.Core.Storage;
using ChatBot.Core.Text;

namespace ChatBot.Core.Answering.Commands.Sources;

/// <summary><c>/sources</c>: the corpus as a list (title, source, date, id), cut into pages that fit a message.</summary>
public sealed class SourcesCatalog(ArticleCatalog catalog)
{
    public async Task<ChatReply> PageAsync(int page, int maxChars, Language language, CancellationToken cancellationToken)
    {
        var articles = await catalog.ListAsync(cancellationToken);
        if (articles.Count == 0)
            return ChatReply.Plain(BotMessages.Get("sources.empty", language), language);

        var lines = articles.Select(a =>
            $"• {a.Title} — {a.Source ?? BotMessages.Get("source.unknown", language)}, {ReplyFormatter.FormatDate(a.Published, language)} ({a.Id})").ToList();
        // Room for the header and the "next page" line, whatever the page numbers.
        var budget = maxChars - 120;
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
        var text = new StringBuilder(BotMessages.Get("sources.header", language, articles.Count, index, pages.Count));
        foreach (var line in pages[index - 1])
            text.Append('\n').Append(line);
        if (index < pages.Count)
            text.Append("\n\n").Append(BotMessages.Get("sources.next", language, index + 1));
        return ChatReply.Plain(text.ToString(), language);
    }
}
