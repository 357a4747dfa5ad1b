using System.Globalization;
using System.Text;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Retrieval;

namespace ChatBot.Core.Digest;

/// <summary>
/// The digest of articles ingested after a moment: newest first (by publication date, undated ones by ingestion),
/// each with title, source, date and its most central sentence or two; a count of the older ones past the limit.
/// </summary>
public sealed class DigestBuilder(IIndexStore store, ArticleCatalog catalog, SentenceCentrality centrality, CitationChecker checker, OptionalLanguageModel model)
{

    private const int SummaryChars = 320;

    public async Task<ChatReply> BuildAsync(DateTimeOffset since, int maxArticles, Language language, CancellationToken cancellationToken)
    {
        var fresh = (await catalog.ListAsync(cancellationToken))
            .Where(a => a.IngestedAt > since)
            .OrderByDescending(a => a.Published?.ToDateTime(TimeOnly.MinValue) ?? a.IngestedAt.UtcDateTime)
            .ToList();
        var when = since.ToString(language == Language.English ? "MMMM d, yyyy HH:mm" : "d MMMM yyyy à HH:mm", CultureInfo.GetCultureInfo(language == Language.English ? "en-GB" : "fr-FR"));
        if (fresh.Count == 0)
            return ChatReply.Plain(BotMessages.Get("digest.none", language, when), language);

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
        var more = fresh.Count > maxArticles ? BotMessages.Get("digest.more", language, fresh.Count - maxArticles) : null;
        if (more is not null)
            text.Append("\n\n").Append(more);
        var extractive = new ChatReply(text.ToString(), true, citations, language, [], ReplyTimings.None) { SourcesInText = true };
        return !model.IsEnabled ? extractive : await ModelDigestAsync(extractive, when, fresh.Count, more, language, cancellationToken);
    }

    /// <summary>
    /// The digest written by the language model (<c>prompts/digest.md</c>) from the same articles and summaries; the
    /// extractive digest when the model fails (with a note) or cites nothing.
    /// </summary>
    private async Task<ChatReply> ModelDigestAsync(ChatReply extractive, string when, int count, string? more, Language language, CancellationToken cancellationToken)
    {
        var passages = extractive.Citations.Select(c => new Passage(c.N, c.ArticleId, c.Title, c.Source, c.Published, c.Url, c.Quote, 0, c.Quote.Length, 0, c.Quote.Length, 0)).ToList();
        var written = await model.TryCompleteAsync("digest", new Dictionary<string, string>
        {
            ["since"] = when,
            ["articles"] = CitationChecker.Numbered(passages, language),
            ["language"] = BotMessages.Get("language.name", language),
        }, cancellationToken);
        if (written is null)
            return extractive with { Notes = [BotMessages.Get("llm.unavailable", language)] };
        var checkedText = checker.Check(written, passages);
        if (checkedText.Citations.Count == 0)
            return extractive;
        var text = BotMessages.Get("digest.header", language, when, count) + "\n\n" + checkedText.Text + (more is null ? "" : "\n\n" + more);
        return extractive with { Text = text, Citations = checkedText.Citations, SourcesInText = false };
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
