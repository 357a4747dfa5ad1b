using System.Globalization;
using System.Text;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Core.Retrieval;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Answering.Summaries;

/// <summary>
/// <c>/summary</c>: an article (by id or title words) gets its 3–5 most central sentences in article order; a topic
/// gets the most relevant sentence of each matching article, each cited; ambiguous title words get the candidates
/// listed. Extractive: every sentence is quoted from the cleaned article text, so furniture never appears.
/// </summary>
public sealed class Summarizer(
    IIndexStore store,
    ArticleCatalog catalog,
    Retriever retriever,
    SentenceCentrality centrality,
    TextAnalyzer analyzer,
    IOptions<RetrievalOptions> retrievalOptions,
    CitationChecker checker,
    OptionalLanguageModel model)
{
    private const int MaxTopicArticles = 4;
    private const int MaxCandidates = 5;

    public async Task<ChatReply> SummarizeAsync(string input, Language language, CancellationToken cancellationToken)
    {
        return await SummarizeCoreAsync(input.Trim(), language, cancellationToken);
    }

    private async Task<ChatReply> SummarizeCoreAsync(string input, Language language, CancellationToken cancellationToken)
    {
        if (input.Length == 0)
            return Reply(BotMessages.Get("summary.usage", language), language, []);

        var articles = await catalog.ListAsync(cancellationToken);
        var byId = articles.FirstOrDefault(a => string.Equals(a.Id, input, StringComparison.OrdinalIgnoreCase));
        if (byId is not null)
            return await SummarizeArticleAsync(byId.Id, language, cancellationToken);

        var matches = TitleMatches(input, articles);
        if (matches.Count == 1)
            return await SummarizeArticleAsync(matches[0].Id, language, cancellationToken);
        if (matches.Count > 1)
            return Candidates(input, matches, language);
        return await SummarizeTopicAsync(input, language, cancellationToken);
    }

    public async Task<ChatReply> SummarizeArticleAsync(string articleId, Language language, CancellationToken cancellationToken)
    {
        var article = await store.GetArticleAsync(articleId, cancellationToken)
            ?? throw new KeyNotFoundException($"No article '{articleId}'.");
        if (model.IsEnabled)
        {
            var chunks = await store.GetArticleChunksAsync(articleId, cancellationToken);
            var passages = chunks.Take(6).Select((c, i) => new Passage(i + 1, article.Id, article.Title, article.Source, article.Published, article.Url, article.Text, c.Start, c.End, c.Start, c.End, 0)).ToList();
            var (written, unavailable) = await ModelSummaryAsync(article.Title, BotMessages.Get("summary.article", language, article.Title), passages, language, cancellationToken);
            if (written is not null)
                return written;
            if (unavailable)
                return ExtractiveArticleSummary(article, language) with { Notes = [BotMessages.Get("llm.unavailable", language)] };
        }
        return ExtractiveArticleSummary(article, language);
    }

    private ChatReply ExtractiveArticleSummary(Article article, Language language)
    {
        var count = Math.Clamp(SentenceSplitter.Split(article.Text).Count / 4, 3, 5);
        var sentences = centrality.Top(article.Text, count);
        var text = new StringBuilder(BotMessages.Get("summary.article", language, article.Title));
        foreach (var sentence in sentences)
            text.Append(' ').Append(sentence.Text);
        text.Append(" [1]");
        var citation = new Citation(1, article.Id, article.Title, article.Source, article.Published, article.Url, sentences.FirstOrDefault()?.Text ?? "");
        return Reply(text.ToString(), language, [citation]);
    }

    /// <summary>
    /// Articles whose title contains every word of the input, when it has at least two: "Poutine Khamenei Damas"
    /// names an article, "Poutine" alone is a topic.
    /// </summary>
    private List<Article> TitleMatches(string input, IReadOnlyList<Article> articles)
    {
        var wanted = analyzer.Terms(input).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count < 2)
            return [];
        return articles.Where(a => wanted.IsSubsetOf(analyzer.Terms(a.Title))).ToList();
    }

    private async Task<ChatReply> SummarizeTopicAsync(string topic, Language language, CancellationToken cancellationToken)
    {
        var retrieval = await retriever.RetrieveAsync(topic, MaxTopicArticles * 3, cancellationToken, maxChunksPerArticle: 1);
        var evidence = retrieval.Evidence;
        if (evidence.UnknownNames.Count > 0 || evidence.Coverage < retrievalOptions.Value.MinCoverage)
            return Reply(await QuestionAnswerer.DeclineTextAsync(store, language, cancellationToken), language, []);

        var notes = new List<string>();
        if (model.IsEnabled)
        {
            var (written, unavailable) = await ModelSummaryAsync(topic, BotMessages.Get("summary.topic", language, topic), retrieval.Passages, language, cancellationToken);
            if (written is not null)
                return written;
            if (unavailable)
                notes.Add(BotMessages.Get("llm.unavailable", language));
        }

        var citations = new List<Citation>();
        var text = new StringBuilder(BotMessages.Get("summary.topic", language, topic));
        foreach (var passage in retrieval.Passages)
        {
            if (citations.Count == MaxTopicArticles)
                break;
            var best = SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End)
                .Select(s => s.Of(passage.ArticleText).Trim())
                .Where(s => s.Length >= 40)
                .Select(s => (Text: s, Match: TopicMatch.Of(s, retrieval.Query, analyzer)))
                .Where(s => s.Match > 0)
                .OrderByDescending(s => s.Match)
                .FirstOrDefault();
            if (best.Text is null)
                continue;
            var n = citations.Count + 1;
            citations.Add(new Citation(n, passage.ArticleId, passage.Title, passage.Source, passage.Published, passage.Url, best.Text));
            text.Append(" « ").Append(best.Text).Append(" » [").Append(n).Append(']');
        }
        return citations.Count == 0
            ? Reply(await QuestionAnswerer.DeclineTextAsync(store, language, cancellationToken), language, [])
            : Reply(text.ToString(), language, citations) with { Notes = notes };
    }

    /// <summary>
    /// The summary written by the language model (<c>prompts/summary.md</c>), if it is grounded; null sends the caller
    /// to the extractive summary, which then carries a note when the model was unavailable.
    /// </summary>
    private async Task<(ChatReply? Reply, bool Unavailable)> ModelSummaryAsync(string subject, string header, IReadOnlyList<Passage> passages, Language language, CancellationToken cancellationToken)
    {
        var text = await model.TryCompleteAsync("summary", new Dictionary<string, string>
        {
            ["subject"] = subject,
            ["passages"] = CitationChecker.Numbered(passages, language),
            ["language"] = BotMessages.Get("language.name", language),
        }, cancellationToken);
        if (text is null)
            return (null, true);
        if (CitationChecker.SaysNotInCorpus(text))
            return (null, false);
        var checkedText = checker.Check(text, passages);
        return (checkedText.Citations.Count == 0 ? null : Reply(header + " " + checkedText.Text, language, checkedText.Citations.ToList()), false);
    }

    private static ChatReply Candidates(string input, List<Article> matches, Language language)
    {
        var text = new StringBuilder(BotMessages.Get("summary.ambiguous", language, input));
        foreach (var article in matches.Take(MaxCandidates))
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"• {article.Id} — {article.Title} ({ReplyFormatter.FormatDate(article.Published, language)})");
        return Reply(text.ToString(), language, []);
    }

    private static ChatReply Reply(string text, Language language, List<Citation> citations) =>
        new(text, citations.Count > 0, citations, language, [], ReplyTimings.None);
}
