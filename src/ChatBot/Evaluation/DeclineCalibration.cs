using System.Globalization;
using ChatBot.Core.Retrieval;

namespace ChatBot.Evaluation;

/// <summary>
/// The trade-off behind <see cref="RetrievalOptions.MinCoverage"/>: for a set the corpus answers and one it does not
/// (PIAF's holes files), the share of each the decline test would decline at each threshold, with and without the
/// missing-name rule. The evidence read is the one the bot decides on (best passage and its title).
/// </summary>
public static class DeclineCalibration
{
    public static async Task<List<string>> RunAsync(Retriever retriever, RetrievalOptions options, IReadOnlyList<EvalQuestion> answerable, IReadOnlyList<EvalQuestion> unanswerable, CancellationToken cancellationToken)
    {
        var a = await EvidenceAsync(retriever, answerable, cancellationToken);
        var u = await EvidenceAsync(retriever, unanswerable, cancellationToken);
        var lines = new List<string>
        {
            $"{a.Count} answerable, {u.Count} unanswerable questions; declined shares (unanswerable / answerable):",
            "   θ      coverage < θ      + a name missing   + a name or a word missing or unknown (the bot's rule)",
        };
        for (var theta = 0.10; theta <= 0.951; theta += 0.05)
        {
            var t = theta;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {t:0.00}   {Share(u, e => e.Coverage < t),5:0.000} / {Share(a, e => e.Coverage < t),5:0.000}    {Share(u, e => e.Coverage < t || e.MissingNames > 0),5:0.000} / {Share(a, e => e.Coverage < t || e.MissingNames > 0),5:0.000}    {Share(u, e => Declines(e, t)),5:0.000} / {Share(a, e => Declines(e, t)),5:0.000}"));
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"configured (MinCoverage {options.MinCoverage:0.00}): {Share(u, e => Declines(e, options.MinCoverage)):0.000} / {Share(a, e => Declines(e, options.MinCoverage)):0.000}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"of which related reading (the topic is there): {Share(u, e => Declines(e, options.MinCoverage) && e.UnknownNames.Count == 0 && e.Coverage >= options.RelatedReadingCoverage):0.000} / {Share(a, e => Declines(e, options.MinCoverage) && e.UnknownNames.Count == 0 && e.Coverage >= options.RelatedReadingCoverage):0.000}"));
        return lines;
    }

    public static EvidenceScorer? Scorer { get; set; }

    private static bool Declines(Evidence e, double theta) => e.UnknownNames.Count > 0 || e.MissingNames > 0 || e.UnknownWords > 0 || e.Coverage < theta;

    private static double Share(List<Evidence> evidence, Func<Evidence, bool> declined) =>
        evidence.Count == 0 ? 0 : (double)evidence.Count(declined) / evidence.Count;

    private static async Task<List<Evidence>> EvidenceAsync(Retriever retriever, IReadOnlyList<EvalQuestion> questions, CancellationToken cancellationToken)
    {
        var result = new List<Evidence>();
        foreach (var item in questions)
        {
            var r = await retriever.RetrieveAsync(item.Question, null, cancellationToken);
            result.Add(r.Evidence);
            if (Environment.GetEnvironmentVariable("CALIBRATION_TOP3") is { } top3)
            {
                var scorer = Scorer!;
                var weighed = r.Evidence with { Coverage = 0, MissingNames = 0 };
                var per = r.Passages.Take(3).Select(p => scorer.Score(weighed, [p])).ToList();
                var best = per.Count == 0 ? r.Evidence : per.MaxBy(e => e.Coverage - (e.MissingNames > 0 ? 1 : 0))!;
                result[^1] = best;
            }
            if (Environment.GetEnvironmentVariable("CALIBRATION_DUMP") is { } dump)
                await File.AppendAllTextAsync(dump, string.Create(CultureInfo.InvariantCulture, $"{(item.Gold is null ? "U" : "A")}\t{r.Evidence.Coverage:0.000}|{r.Evidence.DocumentCoverage:0.000}\t{r.Evidence.MissingNames}\t{r.Evidence.UnknownNames.Count}\t{r.Evidence.MatchedWeight:0.000}\t{r.Evidence.TotalWeight:0.000}\t{(r.Passages.Count > 0 ? r.Passages[0].Score : 0):0.000}\t{(r.Passages.Count > 1 ? r.Passages[0].Score - r.Passages[1].Score : 0):0.000}\t{(r.Passages.Count > 0 && r.Passages[0].ArticleId == item.Gold ? 1 : 0)}\t{item.Question}\t{string.Join(",", r.Evidence.Concepts.Where(c => !c.Present).Select(c => $"{c.Concept.Folded}:{c.Weight:0.0}"))}\t{string.Join(",", r.Evidence.Concepts.Where(c => c.Present).Select(c => $"{c.Concept.Folded}:{c.Weight:0.0}"))}\n"), cancellationToken);
        }
        return result;
    }
}
