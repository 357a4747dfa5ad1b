using ChatBot.Core.Storage;
using ChatBot.Core.Text;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// Weighs the question's term groups by inverse document frequency and measures how much of that weight each passage
/// holds. A question about something the corpus never mentions ("le président du Brésil") has its key word missing
/// from every passage, so its coverage stays low however similar the rest of the wording is.
/// </summary>
public sealed class EvidenceScorer(IIndexStore store, ArticleCatalog catalog, TextAnalyzer analyzer)
{
    /// <summary>The weighed question (<see cref="WeighAsync"/>) with the best coverage any one passage gives it.</summary>
    public Evidence Score(Evidence weighed, IReadOnlyList<Passage> passages) =>
        weighed with { BestCoverage = passages.Count == 0 ? 0 : passages.Max(p => weighed.CoverageOf(TermsOf(p))) };

    /// <summary>The question's term groups weighed by rarity, before any passage is looked at.</summary>
    public async Task<Evidence> WeighAsync(Query query, CancellationToken cancellationToken)
    {
        var stats = await store.GetTermStatisticsAsync(query.Groups.SelectMany(g => g.Terms).ToList(), cancellationToken);
        var unknown = query.Groups.Where(g => g.IsName && g.Terms.All(t => stats.DocumentFrequency.GetValueOrDefault(t) == 0)).ToList();
        if (unknown.Any(g => g.IsYear))
        {
            // A year no text mentions may still be when articles were published: the corpus knows that year.
            var years = await catalog.PublicationYearsAsync(cancellationToken);
            unknown.RemoveAll(g => g.IsYear && years.Contains(g.Word));
        }
        return new Evidence(query.Groups.ToDictionary(g => g, g => Weight(g, stats)), 0) { UnknownNames = unknown };
    }

    public HashSet<string> TermsOf(Passage passage) =>
        analyzer.Terms(passage.Title + "\n" + passage.Text).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// IDF of the group's most common form: a word and its translations form one concept, as rare as its commonest
    /// spelling. A common word no chunk contains is most often the asker's paraphrase ("ville" for a city the article
    /// names), so it weighs like a word seen once, halved; an unknown name is handled apart (see UnknownNames).
    /// </summary>
    private static double Weight(QueryTermGroup group, TermStatistics stats)
    {
        var df = group.Terms.Max(t => stats.DocumentFrequency.GetValueOrDefault(t));
        var n = Math.Max(stats.DocumentCount, 1);
        var idf = Math.Log((n + 1.0) / ((df == 0 ? 1 : df) + 0.5)) + 0.1;
        return df == 0 && !group.IsName ? idf / 2 : idf;
    }
}
