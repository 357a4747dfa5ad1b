using System.Globalization;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval;

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
    /// <param name="articleOf">The article (group) of each question, for cross-validation grouped by article: a
    /// question's paragraph siblings never sit on both sides of a fold.</param>
    public static async Task<List<string>> RunAsync(
        Retriever retriever, EvidenceScorer scorer, RetrievalOptions options, IReadOnlyList<EvalQuestion> answerable, IReadOnlyList<EvalQuestion> unanswerable, TextWriter? features, CancellationToken cancellationToken,
        Func<EvalQuestion, string>? articleOf = null, int folds = 5, double maxAnswerableDeclined = 0.04)
    {
        var a = await EvidenceAsync(retriever, scorer, answerable, features, cancellationToken);
        var u = await EvidenceAsync(retriever, scorer, unanswerable, features, cancellationToken);
        var grouped = (A: answerable.Select((q, i) => (Group: (articleOf ?? (x => x.Question))(q), Evidence: a[i])).ToList(),
            U: unanswerable.Select((q, i) => (Group: (articleOf ?? (x => x.Question))(q), Evidence: u[i])).ToList());
        var cv = CrossValidate(grouped.A, grouped.U, folds, maxAnswerableDeclined, Declines);
        var cvWithoutAsk = CrossValidate(grouped.A, grouped.U, folds, maxAnswerableDeclined, (e, t) => e.UnknownNames.Count > 0 || e.MissingNames > 0 || e.Coverage < t);
        var lines = new List<string>
        {
            $"{a.Count} answerable, {u.Count} unanswerable questions; declined shares (unanswerable / answerable):",
            "   θ      coverage < θ      + a name missing   + a name unknown, the ask unsaid (the bot's rule)   + a word unknown (DeclineOnUnknownWords)",
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
                $"  {label} declined because: unknown name {Share(set, e => e.UnknownNames.Count > 0):0.000}, name missing from the passage {Share(set, e => e.MissingNames > 0):0.000}, the ask unsaid {Share(set, e => !e.AskAnswered):0.000}, unknown word {Share(set, e => e.UnknownWords > 0):0.000}, coverage < {options.MinCoverage:0.00} {Share(set, e => e.Coverage < options.MinCoverage):0.000}"));
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"of which related reading (the topic is there): {Share(u, e => Configured(e, options) && e.UnknownNames.Count == 0 && e.Coverage >= options.RelatedReadingCoverage):0.000} / {Share(a, e => Configured(e, options) && e.UnknownNames.Count == 0 && e.Coverage >= options.RelatedReadingCoverage):0.000}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"cross-validated ({folds} folds grouped by {(articleOf is null ? "question" : "article")}; θ chosen on the other folds as the highest share of unanswerable declined with at most {maxAnswerableDeclined:P0} of answerable): {cv.Unanswerable:0.000} / {cv.Answerable:0.000} (fold θ {string.Join(", ", cv.FoldThetas.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}); the same choice on all the data: θ {cv.Theta:0.00}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"  the same without the ask test (names and coverage alone): {cvWithoutAsk.Unanswerable:0.000} / {cvWithoutAsk.Answerable:0.000}; on all the data θ {cvWithoutAsk.Theta:0.00}"));
        return lines;
    }

    /// <summary>
    /// The decline threshold chosen as the bot's setting should be: the θ with the most unanswerable questions declined
    /// while at most <paramref name="maxAnswerable"/> of the answerable are, chosen on k−1 folds and measured on the
    /// k-th, folds drawn by group (article). The estimate is what other questions of the same kind would see.
    /// </summary>
    public static (double Unanswerable, double Answerable, IReadOnlyList<double> FoldThetas, double Theta) CrossValidate(
        IReadOnlyList<(string Group, Evidence Evidence)> answerable, IReadOnlyList<(string Group, Evidence Evidence)> unanswerable, int folds, double maxAnswerable, Func<Evidence, double, bool> declines)
    {
        var groups = answerable.Concat(unanswerable).Select(x => x.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // Groups dealt to folds by a stable hash of their name: the folds do not depend on the order of the files.
        var foldOf = groups.ToDictionary(g => g, g => (int)(StableHash(g) % (uint)folds), StringComparer.Ordinal);
        int declinedU = 0, declinedA = 0;
        var thetas = new List<double>();
        for (var fold = 0; fold < folds; fold++)
        {
            var f = fold;
            var theta = Choose(answerable.Where(x => foldOf[x.Group] != f).Select(x => x.Evidence).ToList(), unanswerable.Where(x => foldOf[x.Group] != f).Select(x => x.Evidence).ToList(), maxAnswerable, declines);
            thetas.Add(theta);
            declinedU += unanswerable.Count(x => foldOf[x.Group] == f && declines(x.Evidence, theta));
            declinedA += answerable.Count(x => foldOf[x.Group] == f && declines(x.Evidence, theta));
        }
        var all = Choose(answerable.Select(x => x.Evidence).ToList(), unanswerable.Select(x => x.Evidence).ToList(), maxAnswerable, declines);
        return ((double)declinedU / Math.Max(1, unanswerable.Count), (double)declinedA / Math.Max(1, answerable.Count), thetas, all);
    }

    private static double Choose(List<Evidence> answerable, List<Evidence> unanswerable, double maxAnswerable, Func<Evidence, double, bool> declines)
    {
        var best = 0.0;
        var bestShare = -1.0;
        for (var step = 0; step <= 95; step++)
        {
            var theta = step / 100.0;
            if (Share(answerable, e => declines(e, theta)) > maxAnswerable)
                continue;
            var share = Share(unanswerable, e => declines(e, theta));
            if (share > bestShare)
                (best, bestShare) = (theta, share);
        }
        return best;
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619u;
        return hash;
    }

    // The bot's own rule (DeclinePolicy) at threshold θ, without and with the unknown-word test.
    private static readonly RetrievalOptions Plain = new() { DeclineOnUnknownWords = false };
    private static readonly RetrievalOptions WithWords = new() { DeclineOnUnknownWords = true };

    private static bool Declines(Evidence e, double theta) => DeclinePolicy.Judge(e, Plain, theta) != Verdict.Answer;

    private static bool DeclinesWithWords(Evidence e, double theta) => DeclinePolicy.Judge(e, WithWords, theta) != Verdict.Answer;

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
                    ask = r.Evidence.Ask.Family?.Key ?? (r.Evidence.Ask.CountedForms.Count > 0 ? "count" : null), askAnswered = r.Evidence.AskAnswered,
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
