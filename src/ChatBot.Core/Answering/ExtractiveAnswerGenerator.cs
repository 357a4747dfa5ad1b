using System.Text;
using System.Text.RegularExpressions;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Answering.Extraction;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Retrieval.Understanding;
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
    private const int ShortSentenceChars = 160;
    private const double LeadMargin = 0.2;
    /// <summary>Per 200 characters past the first 200: of two sentences holding the same words, the one that says less else.</summary>
    private const double LengthPenalty = 0.05;
    private const double ContextWeight = 0.3;
    private const double TypeWeight = 0.35;

    public string Name => "extractive";

    [GeneratedRegex(@"^(?:[«""“(]\s*)?(?:il|elle|ils|elles|lui|ce dernier|cette dernière|cette derniere|celui-ci|celle-ci|ceux-ci|l'homme|son|sa|ses|leur|leurs|(?:le|la|les) (?:ministre|président|présidente|dirigeant|dirigeante|chef|responsable|diplomate|général|porte-parole|guide|premier ministre|pays|deux (?:pays|ministres|dirigeants|hommes|présidents))|cette|ce|cet|ces|selon lui|selon elle|he|she|they|it|this|these)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Anaphoric();

    public Task<GeneratedAnswer> GenerateAsync(AnswerContext context, CancellationToken cancellationToken)
    {
        var retrieval = context.Retrieval;
        if (retrieval.Passages.Count == 0)
            return Task.FromResult(GeneratedAnswer.NotGrounded);
        if (retrieval.Query.AnswerType == AnswerType.ArticleDate)
            return Task.FromResult(ArticleMetadata.Answer(retrieval.Query.AnswerType, retrieval.Passages[0], context.Language));

        var candidates = retrieval.Evidence.IsDatesOnly ? Leads(retrieval) : Candidates(retrieval);
        if (retrieval.Query.AnswerType == AnswerType.ArticleSource)
        {
            // "Qui l'a rapporté ?": the source the best sentence credits ("a rapporté Defense News"), else the article's.
            var credited = candidates.Take(3).FirstOrDefault(c => Attribution.Of(c.Text) is not null);
            if (credited is null)
                return Task.FromResult(ArticleMetadata.Answer(retrieval.Query.AnswerType, retrieval.Passages[0], context.Language));
            candidates = [credited with { ShortAnswer = Attribution.Of(credited.Text) }];
        }
        if (candidates.Count == 0)
            return Task.FromResult(GeneratedAnswer.NotGrounded);
        // The answer comes from the best passage when it has a sentence on the question: ranking chose it knowing
        // more (fields, proximity, the whole chunk) than one sentence's words can tell.
        // (unless another passage has a clearly better one, or holds the short answer the best passage lacks).
        var lead = candidates[0];
        if (candidates.FirstOrDefault(c => c.Passage.Rank == 1) is { } top && top.Score + LeadMargin >= lead.Score)
        {
            // An age ("86 ans") is unambiguous evidence; other kinds of short answer are not enough to leave the best passage.
            var answering = top.ShortAnswer is null && retrieval.Query.AnswerType == AnswerType.Age
                ? candidates.FirstOrDefault(c => c.ShortAnswer is not null && c.Score >= 0.8 * top.Score)
                : null;
            lead = answering ?? top;
        }
        candidates.Remove(lead);
        candidates.Insert(0, lead);
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
        // Another sentence nearly as good that gives a different answer of the same kind makes the bold a guess: the
        // quotes then speak for themselves ("près de Centuripe" or "sur le mont Scalpello"?).
        var found = chosen[0].ShortAnswer;
        var rival = found is null ? 0 : Rival(chosen[0], candidates);
        var shortAnswer = rival >= options.Value.BoldRivalRatio ? null : found;
        var text = shortAnswer is null
            ? BotMessages.Get("answer.lead", context.Language) + quotes
            : $"**{shortAnswer}** —" + quotes;
        return Task.FromResult(new GeneratedAnswer(text, citations) { ShortAnswer = shortAnswer, BoldCheck = found is null ? null : new BoldCheck(found, rival) });
    }

    /// <summary>A sentence that may answer, with its short answer when one is clear enough to lead (a wrong one in bold misleads more than none).</summary>
    /// <param name="Quoted">Where the quoted text lies in its article, when known: a quote says nothing another one said.</param>
    private sealed record Candidate(Passage Passage, string Text, IReadOnlySet<QueryConcept> Covered, double Score, string? ShortAnswer, SentenceSpan? Quoted = null, string? Spanned = null)
    {
        /// <summary>Whether all this quote holds is already in <paramref name="other"/> (the same sentence, quoted there with its neighbour).</summary>
        public bool Within(Candidate other) =>
            Passage.ArticleId == other.Passage.ArticleId && Quoted is { } a && other.Quoted is { } b && b.Start <= a.Start && a.End <= b.End;
    }

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
            var sentences = SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End)
                .Select(span => (Span: span, Text: span.Of(passage.ArticleText).Trim()))
                .Where(s => s.Text.Length > 0)
                .ToList();
            TextWords? previous = null;
            for (var i = 0; i < sentences.Count; i++)
            {
                var (span, text) = sentences[i];
                var words = new TextWords(text, WordAnalysers.Shared, paraphrases: FrenchParaphrases.Default);
                // A sentence that closes a quotation opened in the one before is the same utterance, read whole.
                var continues = previous is not null && ClosesQuotation(sentences[i - 1].Text, text);
                var anaphoric = (continues || Anaphoric().IsMatch(text)) && previous is not null;
                if (text.Length >= MinSentenceChars && seen.Add(text))
                {
                    // Concepts the sentence holds, or its title does, or (for a sentence that starts with a pronoun or ends a
                    // quotation) the one before.
                    var covered = evidence.Concepts.Select(c => c.Concept)
                        .Where(c => words.Contains(c) || titleWords.Contains(c) && !c.IsName || anaphoric && previous!.Contains(c))
                        .ToHashSet();
                    // The sentence before still says what this one is about ("Khamenei … le dirigeant de 86 ans"): its concepts count half.
                    var coverage = evidence.CoverageOf(covered.Contains)
                        + (previous is null ? 0 : 0.5 * evidence.CoverageOf(c => !covered.Contains(c) && previous.Contains(c)));
                    if (coverage > 0)
                    {
                        var shortAnswer = ShortAnswerPicker.Pick(text, query, questionWords);
                        // A bold answer is about the question's topic: its names in the sentence, its title or (read with
                        // it) the sentence before, or without names (a question typed in lower case) two thirds of its
                        // words in the sentence itself; "13 juin" of Israel's strikes does not answer when Russia's began.
                        bool Held(QueryConcept c) => words.Contains(c) || titleWords.Contains(c) || previous?.Contains(c) == true;
                        var topicHeld = query.Concepts.Any(c => c.IsName)
                            ? query.Concepts.Where(c => c.IsName).All(Held)
                            : query.Concepts.Count(words.Contains) * 3 >= query.Concepts.Count * 2;
                        var inHit = span.Start < passage.HitEnd && span.End > passage.HitStart;
                        var score = coverage
                            + ContextWeight * context
                            + TypeWeight * shortAnswer.Fit * (query.AnswerType is AnswerType.Age or AnswerType.Date or AnswerType.Number ? 2 : 1)
                            + 0.08 / passage.Rank
                            + (inHit ? 0.02 : 0)
                            - LengthPenalty * Math.Max(0, text.Length - 200) / 200.0;
                        var (quote, quoted) = Quote(sentences, i, anaphoric);
                        candidates.Add(new Candidate(passage, Trim(quote), covered, score, shortAnswer.Confident && topicHeld ? shortAnswer.Text : null, quoted, shortAnswer.Counts && shortAnswer.Fit >= 1 ? shortAnswer.Text : null));
                    }
                }
                previous = words;
            }
        }
        return candidates.OrderByDescending(c => c.Score).ToList();
    }

    /// <summary>
    /// What is quoted for sentence <paramref name="i"/>: with the sentence before when it starts with a pronoun, and
    /// with the next one when it is short (a short sentence often only sets up what follows).
    /// </summary>
    private (string Text, SentenceSpan Quoted) Quote(List<(SentenceSpan Span, string Text)> sentences, int i, bool anaphoric)
    {
        var budget = options.Value.MaxAnswerChars - 60;
        var text = sentences[i].Text;
        var (start, end) = (sentences[i].Span.Start, sentences[i].Span.End);
        if (anaphoric && sentences[i - 1].Text.Length + text.Length < budget)
            (text, start) = (sentences[i - 1].Text + " " + text, sentences[i - 1].Span.Start);
        if (sentences[i].Text.Length < ShortSentenceChars && i + 1 < sentences.Count && text.Length + sentences[i + 1].Text.Length < Math.Min(budget, 400))
            (text, end) = (text + " " + sentences[i + 1].Text, sentences[i + 1].Span.End);
        return (text, new SentenceSpan(start, end));
    }

    /// <summary>
    /// How close the best other sentence that gives a different answer of the kind asked for comes to
    /// <paramref name="lead"/>: its score as a share of the lead's (0 when none does). Answers that contain one another
    /// ("29 août", "le 29 août au soir") agree.
    /// </summary>
    private static double Rival(Candidate lead, List<Candidate> candidates)
    {
        var answer = TextFolding.Fold(lead.ShortAnswer!);
        var best = 0.0;
        foreach (var candidate in candidates)
        {
            if (ReferenceEquals(candidate, lead) || candidate.Spanned is not { } other || lead.Score <= 0)
                continue;
            var folded = TextFolding.Fold(other);
            if (answer.Contains(folded, StringComparison.Ordinal) || folded.Contains(answer, StringComparison.Ordinal))
                continue;
            best = Math.Max(best, candidate.Score / lead.Score);
        }
        return best;
    }

    /// <summary>Whether <paramref name="sentence"/> closes a quotation that <paramref name="before"/> opened.</summary>
    private static bool ClosesQuotation(string before, string sentence)
    {
        static int Count(string text, char c) => text.Count(x => x == c);
        return Count(before, '"') % 2 == 1 && Count(sentence, '"') % 2 == 1
            || Count(before, '«') > Count(before, '»') && Count(sentence, '»') > Count(sentence, '«')
            || Count(before, '“') > Count(before, '”') && Count(sentence, '”') > Count(sentence, '“');
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
            // What is already quoted (a sentence quoted with the one before or after it) is not quoted again.
            if (chosen.Exists(candidate.Within))
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
