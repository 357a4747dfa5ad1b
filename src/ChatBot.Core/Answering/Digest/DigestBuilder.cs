using System.Globalization;
using System.Text;
using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Storage;
using ChatBot.Core.Text;

namespace ChatBot.Core.Answering.Digest;

/// <summary>
/// The digest of articles ingested after a moment: newest first (by publication date, undated ones by ingestion),
/// each with title, source, date and its most central sentence or two; a count of the older ones past the limit.
/// </summary>
public sealed class DigestBuilder(IIndexStore store, SentenceCentrality centrality)
{
    private const int SummaryChars = 320;

    public async Task<ChatReply> BuildAsync(DateTimeOffset since, int maxArticles, Language language, CancellationToken cancellationToken)
    {
        var fresh = (await store.ListArticlesAsync(cancellationToken))
            .Where(a => a.IngestedAt > since)
            .OrderByDescending(a => a.Published?.ToDateTime(TimeOnly.MinValue) ?? a.IngestedAt.UtcDateTime)
            .ToList();
        var when = since.ToString(language == Language.English ? "MMMM d, yyyy HH:mm" : "d MMMM yyyy à HH:mm", CultureInfo.GetCultureInfo(language == Language.English ? "en-GB" : "fr-FR"));
        if (fresh.Count == 0)
            return new ChatReply(BotMessages.Get("digest.none", language, when), false, [], language, [], new ReplyTimings(0, 0));

        var text = new StringBuilder(BotMessages.Get("digest.header", language, when, fresh.Count));
        var citations = new List<Citation>();
        foreach (var listed in fresh.Take(maxArticles))
        {
            var article = await store.GetArticleAsync(listed.Id, cancellationToken);
            if (article is null)
                continue;
            var summary = Summary(article.Text);
            var n = citations.Count + 1;
            citations.Add(new Citation(n, article.Id, article.Title, article.Source, article.Published, article.Url, summary));
            text.Append("\n\n").Append(CultureInfo.InvariantCulture, $"[{n}] {article.Title} — {article.Source ?? BotMessages.Get("source.unknown", language)}, {ReplyFormatter.FormatDate(article.Published, language)}");
            if (summary.Length > 0)
                text.Append('\n').Append(summary);
        }
        if (fresh.Count > maxArticles)
            text.Append("\n\n").Append(BotMessages.Get("digest.more", language, fresh.Count - maxArticles));
        return new ChatReply(text.ToString(), true, citations, language, [], new ReplyTimings(0, 0));
    }

    /// <summary>One or two central sentences, within a few hundred characters.</summary>
    private string Summary(string text)
    {
        var best = centrality.Top(text, 2);
        var summary = new StringBuilder();
        foreach (var sentence in best)
        {
            if (summary.Length > 0 && summary.Length + sentence.Text.Length + 1 > SummaryChars)
                break;
            if (summary.Length > 0)
                summary.Append(' ');
            summary.Append(sentence.Text.Length > SummaryChars ? sentence.Text[..SummaryChars].TrimEnd() + " …" : sentence.Text);
        }
        return summary.ToString();
    }
}
