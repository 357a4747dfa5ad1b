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

    private static async Task<List<Evidence>> EvidenceAsync(Retriever retriever, IReadOnlyList<EvalQuestion> questions, CancellationToken cancellationToken)
    {
        var result = new List<Evidence>();
        foreach (var item in questions)
        {
            result.Add((await retriever.RetrieveAsync(item.Question, null, cancellationToken)).Evidence);
        }
        return result;
    }
}
