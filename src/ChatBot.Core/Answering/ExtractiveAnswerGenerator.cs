using System.Text;
using System.Text.RegularExpressions;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Text;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Answering;

/// <summary>
/// The offline answer: the sentences of the retrieved passages that best cover the question's weighted terms (with a
/// nudge towards the kind of answer asked for: a date for "quand", a number for "combien"…), quoted verbatim in the
/// corpus language, each marked with the <c>[n]</c> of its article. Nothing is written that the corpus does not say.
/// </summary>
public sealed partial class ExtractiveAnswerGenerator(TextAnalyzer analyzer, IOptions<AnswerOptions> options) : IAnswerGenerator
{
    private const int MinSentenceChars = 20;
    private const double ContextWeight = 0.3;

    public string Name => "extractive";

    [GeneratedRegex(@"\b(1[89]\d\d|20\d\d)\b|\b(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b")]
    private static partial Regex TimeExpression();

    [GeneratedRegex(@"\d")]
    private static partial Regex Number();

    [GeneratedRegex(@"(?<!^)(?<![.!?]\s)\b\p{Lu}[\p{Ll}\-']+(?:\s+(?:al-|el-|de\s|du\s)?\p{Lu}[\p{Ll}\-']+)*")]
    private static partial Regex ProperName();

    public Task<GeneratedAnswer> GenerateAsync(AnswerContext context, CancellationToken cancellationToken)
    {
        var evidence = context.Retrieval.Evidence;
        var candidates = evidence.Weights.Count == 0 && evidence.BestCoverage > 0
            ? Leads(context.Retrieval)
            : Candidates(context.Retrieval, QuestionKinds.Of(context.Question));
        if (candidates.Count == 0)
            return Task.FromResult(GeneratedAnswer.NotGrounded);

        var chosen = Choose(candidates, evidence);
        if (chosen.Count == 0)
            return Task.FromResult(GeneratedAnswer.NotGrounded);

        var citations = new List<Citation>();
        var text = new StringBuilder(BotMessages.Get("answer.lead", context.Language));
        foreach (var sentence in chosen)
        {
            var passage = sentence.Passage;
            var existing = citations.FindIndex(c => c.ArticleId == passage.ArticleId);
            int n;
            if (existing >= 0)
            {
                n = citations[existing].N;
            }
            else
            {
                n = citations.Count + 1;
                citations.Add(new Citation(n, passage.ArticleId, passage.Title, passage.Source, passage.Published, passage.Url, sentence.Text));
            }
            text.Append(" « ").Append(sentence.Text).Append(" » [").Append(n).Append(']');
        }
        return Task.FromResult(new GeneratedAnswer(text.ToString(), citations));
    }

    private sealed record Candidate(Passage Passage, string Text, IReadOnlySet<string> Terms, double Score);

    private List<Candidate> Candidates(RetrievalResult retrieval, QuestionKind kind)
    {
        var evidence = retrieval.Evidence;
        var candidates = new List<Candidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var passage in retrieval.Passages)
        {
            // A sentence is read in its context: one from a passage about the whole question beats an equal one elsewhere.
            var context = evidence.CoverageOf(analyzer.Terms(passage.Title + "\n" + passage.Text).ToHashSet(StringComparer.Ordinal));
            foreach (var span in SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End))
            {
                var text = span.Of(passage.ArticleText);
                if (text.Length < MinSentenceChars || !seen.Add(text))
                    continue;
                var terms = analyzer.Terms(text).ToHashSet(StringComparer.Ordinal);
                var coverage = evidence.CoverageOf(terms);
                if (coverage <= 0)
                    continue;
                var inHit = span.Start < passage.HitEnd && span.End > passage.HitStart;
                var score = coverage
                    + ContextWeight * context
                    + KindBonus(kind, text)
                    + 0.08 / passage.Rank
                    + (inHit ? 0.02 : 0)
                    - (text.Length > 450 ? 0.1 : 0);
                candidates.Add(new Candidate(passage, Trim(text), terms, score));
            }
        }
        return candidates.OrderByDescending(c => c.Score).ToList();
    }

    /// <summary>A question about dates alone is answered by what the newest articles lead with.</summary>
    private List<Candidate> Leads(RetrievalResult retrieval) => retrieval.Passages
        .Select(p => SentenceSplitter.Split(p.ArticleText, p.Start, p.End).Select(s => s.Of(p.ArticleText)).FirstOrDefault(s => s.Length >= 40 && s.TrimEnd('"', '»', '”', ' ')[^1] is '.' or '!' or '?') is { } lead
            ? new Candidate(p, Trim(lead), analyzer.Terms(lead).ToHashSet(StringComparer.Ordinal), 1.0 / p.Rank)
            : null)
        .OfType<Candidate>()
        .Take(1)
        .ToList();

    /// <summary>
    /// The best sentence, then others that are nearly as good and either add a part of the question not yet covered
    /// or come from another article, within the length budget.
    /// </summary>
    private List<Candidate> Choose(List<Candidate> candidates, Evidence evidence)
    {
        var best = candidates[0];
        var chosen = new List<Candidate> { best };
        var length = best.Text.Length;
        var covered = new HashSet<string>(best.Terms, StringComparer.Ordinal);
        foreach (var candidate in candidates.Skip(1))
        {
            if (chosen.Count >= options.Value.MaxQuotes)
                break;
            if (candidate.Score < best.Score * 0.8 || length + candidate.Text.Length + 8 > options.Value.MaxAnswerChars)
                continue;
            var addsTerms = evidence.Weights.Keys.Any(g => g.Terms.Overlaps(candidate.Terms) && !g.Terms.Overlaps(covered));
            var otherArticle = chosen.TrueForAll(c => c.Passage.ArticleId != candidate.Passage.ArticleId);
            if (!addsTerms && !otherArticle)
                continue;
            chosen.Add(candidate);
            length += candidate.Text.Length + 8;
            covered.UnionWith(candidate.Terms);
        }
        return chosen;
    }

    private static double KindBonus(QuestionKind kind, string sentence) => kind switch
    {
        QuestionKind.Time when TimeExpression().IsMatch(TextFolding.Fold(sentence)) => 0.15,
        QuestionKind.Quantity when Number().IsMatch(sentence) => 0.15,
        QuestionKind.Person when ProperName().IsMatch(sentence) => 0.05,
        QuestionKind.Place when ProperName().IsMatch(sentence) => 0.05,
        _ => 0,
    };

    /// <summary>A single sentence longer than the answer budget is cut at a word boundary.</summary>
    private string Trim(string sentence)
    {
        var max = options.Value.MaxAnswerChars - 20;
        if (sentence.Length <= max)
            return sentence;
        var cut = sentence.LastIndexOf(' ', max);
        return sentence[..(cut > max / 2 ? cut : max)] + " …";
    }
}
