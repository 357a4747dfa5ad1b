using System.Globalization;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Text;

namespace ChatBot.Evaluation;

/// <summary>
/// The trade-off behind <see cref="RetrievalOptions.MinCoverage"/>: for a set the corpus answers and one it does not
/// (PIAF's holes files), the share of each the decline test would decline at each threshold, with and without the
/// missing-name rule. The evidence read is the one the bot decides on (best passage and its title).
/// </summary>
public static class DeclineCalibration
{
    /// <param name="features">When given, one JSON line per question with what the decline test saw (each concept's
    /// weight and whether each of the top passages, their titles and wider text hold it; the first three hit texts):
    /// what <c>tools/eval/decline_ceiling.py</c> reads to try other rules and models.</param>
    public static async Task<List<string>> RunAsync(
        Retriever retriever, EvidenceScorer scorer, RetrievalOptions options, IReadOnlyList<EvalQuestion> answerable, IReadOnlyList<EvalQuestion> unanswerable, TextWriter? features, CancellationToken cancellationToken)
    {
        var a = await EvidenceAsync(retriever, scorer, answerable, features, cancellationToken);
        var u = await EvidenceAsync(retriever, scorer, unanswerable, features, cancellationToken);
        var lines = new List<string>
        {
            $"{a.Count} answerable, {u.Count} unanswerable questions; declined shares (unanswerable / answerable):",
            "   θ      coverage < θ      + a name missing   + a name unknown (the bot's rule)   + a word unknown (DeclineOnUnknownWords)",
        };
        for (var theta = 0.10; theta <= 0.951; theta += 0.05)
        {
            var t = theta;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {t:0.00}   {Share(u, e => e.Coverage < t),5:0.000} / {Share(a, e => e.Coverage < t),5:0.000}    {Share(u, e => e.Coverage < t || e.MissingNames > 0),5:0.000} / {Share(a, e => e.Coverage < t || e.MissingNames > 0),5:0.000}    {Share(u, e => Declines(e, t)),5:0.000} / {Share(a, e => Declines(e, t)),5:0.000}    {Share(u, e => DeclinesWithWords(e, t)),5:0.000} / {Share(a, e => DeclinesWithWords(e, t)),5:0.000}"));
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"configured (MinCoverage {options.MinCoverage:0.00}, DeclineOnUnknownWords {options.DeclineOnUnknownWords}): {Share(u, e => Configured(e, options)):0.000} / {Share(a, e => Configured(e, options)):0.000}"));
        foreach (var (label, set) in new[] { ("unanswerable", u), ("answerable", a) })
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {label} declined because: unknown name {Share(set, e => e.UnknownNames.Count > 0):0.000}, name missing from the passage {Share(set, e => e.MissingNames > 0):0.000}, unknown word {Share(set, e => e.UnknownWords > 0):0.000}, coverage < {options.MinCoverage:0.00} {Share(set, e => e.Coverage < options.MinCoverage):0.000}"));
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"of which related reading (the topic is there): {Share(u, e => Configured(e, options) && e.UnknownNames.Count == 0 && e.Coverage >= options.RelatedReadingCoverage):0.000} / {Share(a, e => Configured(e, options) && e.UnknownNames.Count == 0 && e.Coverage >= options.RelatedReadingCoverage):0.000}"));
        return lines;
    }

    private static bool Declines(Evidence e, double theta) => e.UnknownNames.Count > 0 || e.MissingNames > 0 || e.Coverage < theta;

    private static bool DeclinesWithWords(Evidence e, double theta) => Declines(e, theta) || e.UnknownWords > 0;

    private static bool Configured(Evidence e, RetrievalOptions o) => o.DeclineOnUnknownWords ? DeclinesWithWords(e, o.MinCoverage) : Declines(e, o.MinCoverage);

    private static double Share(List<Evidence> evidence, Func<Evidence, bool> declined) =>
        evidence.Count == 0 ? 0 : (double)evidence.Count(declined) / evidence.Count;

    private static async Task<List<Evidence>> EvidenceAsync(Retriever retriever, EvidenceScorer scorer, IReadOnlyList<EvalQuestion> questions, TextWriter? features, CancellationToken cancellationToken)
    {
        var result = new List<Evidence>();
        foreach (var item in questions)
        {
            var r = await retriever.RetrieveAsync(item.Question, null, cancellationToken);
            result.Add(r.Evidence);
            if (features is not null)
            {
                var ps = r.Passages;
                var hits = ps.Select(p => scorer.HitWords(p)).ToList();
                var titles = ps.Select(p => new TextWords(p.Title, WordAnalysers.Shared)).ToList();
                var wide = ps.Select(p => scorer.Words(p)).ToList();
                var row = new
                {
                    q = item.Question, gold = item.Gold, answerable = item.Gold is not null,
                    titles = ps.Select(p => p.Title).ToList(), ids = ps.Select(p => p.ArticleId).ToList(),
                    scores = ps.Select(p => p.Scores?.Rerank ?? p.Score).ToList(),
                    texts = ps.Take(3).Select(p => p.ArticleText[p.HitStart..p.HitEnd]).ToList(),
                    unknownNames = r.Evidence.UnknownNames.Count, coverage = r.Evidence.Coverage,
                    concepts = r.Evidence.Concepts.Select(c => new
                    {
                        s = c.Concept.Surface, f = c.Concept.Folded, w = c.Weight, name = c.Concept.IsName, num = c.Concept.IsNumber, known = c.Concept.Known, tr = c.Concept.Translated, present = c.Present,
                        hit = hits.Select(h => h.Contains(c.Concept)).ToList(),
                        title = titles.Select(h => h.Contains(c.Concept)).ToList(),
                        wide = wide.Select(h => h.Contains(c.Concept)).ToList(),
                    }).ToList(),
                };
                await features.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(row).AsMemory(), cancellationToken);
            }
        }
        return result;
    }
}
