using System.Text;
using System.Text.RegularExpressions;
using ChatBot.Core.Answering.Extraction;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Text;
using ChatBot.Core.Understanding;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Answering;

/// <summary>
/// The offline answer: the sentence of the retrieved passages that best covers the question's weighted concepts and
/// holds an answer of the kind asked for (a date for "quand", a quantity for "combien", a name for "qui"…) that the
/// question does not already contain, quoted verbatim in the corpus language and marked with the <c>[n]</c> of its
/// article. A sentence is read with the one before it when it starts with a pronoun ("Il", "Le dirigeant de 86 ans").
/// When a short answer is found it leads, in bold: <c>**Su-34** — « … » [1]</c>. Nothing is written that the corpus
/// does not say.
/// </summary>
public sealed partial class ExtractiveAnswerGenerator(EvidenceScorer evidenceScorer, IOptions<AnswerOptions> options) : IAnswerGenerator
{
    private const int MinSentenceChars = 20;
    private const double ContextWeight = 0.3;
    private const double TypeWeight = 0.35;

    public string Name => "extractive";

    [GeneratedRegex(@"^(?:[«""“(]\s*)?(?:il|elle|ils|elles|lui|ce dernier|cette dernière|cette derniere|celui-ci|celle-ci|ceux-ci|le dirigeant|la dirigeante|l'homme|le président|son|sa|ses|leur|leurs|cette|ce|cet|ces|selon lui|selon elle|he|she|they|it|this|these)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Anaphoric();

    public Task<GeneratedAnswer> GenerateAsync(AnswerContext context, CancellationToken cancellationToken)
    {
        var retrieval = context.Retrieval;
        if (retrieval.Passages.Count == 0)
            return Task.FromResult(GeneratedAnswer.NotGrounded);
        if (retrieval.Query.AnswerType is AnswerType.ArticleSource or AnswerType.ArticleDate)
            return Task.FromResult(ArticleMetadata.Answer(retrieval.Query.AnswerType, retrieval.Passages[0], context.Language));

        var candidates = retrieval.Evidence.IsDatesOnly ? Leads(retrieval) : Candidates(retrieval);
        if (candidates.Count == 0)
            return Task.FromResult(GeneratedAnswer.NotGrounded);
        var chosen = Choose(candidates, retrieval.Evidence);

        var citations = new List<Citation>();
        var quotes = new StringBuilder();
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
            quotes.Append(" « ").Append(sentence.Text).Append(" » [").Append(n).Append(']');
        }
        var shortAnswer = chosen[0].ShortAnswer;
        var text = shortAnswer is null
            ? BotMessages.Get("answer.lead", context.Language) + quotes
            : $"**{shortAnswer}** —" + quotes;
        return Task.FromResult(new GeneratedAnswer(text, citations) { ShortAnswer = shortAnswer });
    }

    private sealed record Candidate(Passage Passage, string Text, IReadOnlySet<QueryConcept> Covered, double Score, string? ShortAnswer);

    private List<Candidate> Candidates(RetrievalResult retrieval)
    {
        var evidence = retrieval.Evidence;
        var query = retrieval.Query;
        var questionWords = TextAnalyzer.Shared.Tokenize(query.Cleaned).Select(t => t.Folded).ToHashSet(StringComparer.Ordinal);
        var candidates = new List<Candidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var passage in retrieval.Passages)
        {
            // A sentence is read in its context: one from a passage about the whole question beats an equal one elsewhere.
            var passageWords = evidenceScorer.Words(passage);
            var context = evidence.CoverageOf(passageWords.Contains);
            var titleWords = new TextWords(passage.Title, WordAnalysers.Shared);
            TextWords? previous = null;
            string? previousText = null;
            foreach (var span in SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End))
            {
                var text = span.Of(passage.ArticleText).Trim();
                var words = new TextWords(text, WordAnalysers.Shared);
                var anaphoric = Anaphoric().IsMatch(text) && previous is not null;
                if (text.Length >= MinSentenceChars && seen.Add(text))
                {
                    // Concepts the sentence holds, or its title does, or (for a sentence that starts with a pronoun) the one before.
                    var covered = evidence.Concepts.Select(c => c.Concept)
                        .Where(c => words.Contains(c) || titleWords.Contains(c) && !c.IsName || anaphoric && previous!.Contains(c))
                        .ToHashSet();
                    var coverage = evidence.CoverageOf(covered.Contains);
                    if (coverage > 0)
                    {
                        var (shortAnswer, typeScore) = ShortAnswer(text, query.AnswerType, questionWords);
                        var inHit = span.Start < passage.HitEnd && span.End > passage.HitStart;
                        var score = coverage
                            + ContextWeight * context
                            + TypeWeight * typeScore
                            + 0.08 / passage.Rank
                            + (inHit ? 0.02 : 0)
                            - (text.Length > 450 ? 0.1 : 0);
                        var quoted = anaphoric && previousText is not null && previousText.Length + text.Length < options.Value.MaxAnswerChars - 40
                            ? previousText + " " + text
                            : text;
                        candidates.Add(new Candidate(passage, Trim(quoted), covered, score, shortAnswer));
                    }
                }
                previous = words;
                previousText = text;
            }
        }
        return candidates.OrderByDescending(c => c.Score).ToList();
    }

    /// <summary>The span of the sentence of the type asked for, closest in kind, that the question does not already hold.</summary>
    private static (string? Span, double Score) ShortAnswer(string sentence, AnswerType type, IReadOnlySet<string> questionWords)
    {
        var best = (Span: (string?)null, Score: 0.0);
        foreach (var entity in EntitySpans.Find(sentence, type))
        {
            var value = entity.Of(sentence).Trim().TrimEnd(',', '.', ';', ':');
            if (value.Length == 0 || EntitySpans.InQuestion(value, questionWords))
                continue;
            if (entity.Cue > best.Score)
                best = (value, entity.Cue);
        }
        return best;
    }

    /// <summary>A question about dates alone is answered by what the newest articles lead with.</summary>
    private List<Candidate> Leads(RetrievalResult retrieval) => retrieval.Passages
        .Select(p => SentenceSplitter.Split(p.ArticleText, p.Start, p.End).Select(s => s.Of(p.ArticleText)).FirstOrDefault(s => s.Length >= 40 && s.TrimEnd('"', '»', '”', ' ')[^1] is '.' or '!' or '?') is { } lead
            ? new Candidate(p, Trim(lead), new HashSet<QueryConcept>(), 1.0 / p.Rank, null)
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
        var length = best.Text.Length + (best.ShortAnswer?.Length ?? 0) + 10;
        var covered = new HashSet<QueryConcept>(best.Covered);
        foreach (var candidate in candidates.Skip(1))
        {
            if (chosen.Count >= options.Value.MaxQuotes)
                break;
            if (candidate.Score < best.Score * 0.8 || length + candidate.Text.Length + 8 > options.Value.MaxAnswerChars)
                continue;
            var addsConcepts = candidate.Covered.Any(c => !covered.Contains(c));
            var otherArticle = chosen.TrueForAll(c => c.Passage.ArticleId != candidate.Passage.ArticleId);
            if (!addsConcepts && !otherArticle)
                continue;
            chosen.Add(candidate);
            length += candidate.Text.Length + 8;
            covered.UnionWith(candidate.Covered);
        }
        return chosen;
    }

    /// <summary>A single sentence longer than the answer budget is cut at a word boundary.</summary>
    private string Trim(string sentence)
    {
        var max = options.Value.MaxAnswerChars - 60;
        if (sentence.Length <= max)
            return sentence;
        var cut = sentence.LastIndexOf(' ', max);
        return sentence[..(cut > max / 2 ? cut : max)] + " …";
    }
}
