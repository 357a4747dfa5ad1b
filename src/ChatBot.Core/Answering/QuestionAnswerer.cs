using System.Diagnostics;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Answering.Extraction;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Retrieval;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Answering;

/// <summary>
/// The bot's brain, shared by every front end: read the question (with the conversation), retrieve, judge the
/// evidence, and answer with citations; or say plainly that the corpus does not say it, offering the closest passage
/// only as related reading when the topic is there but what is asked is not.
/// </summary>
public sealed partial class QuestionAnswerer(
    Retriever retriever,
    QuestionRewriter rewriter,
    IAnswerGenerator generator,
    OptionalLanguageModel model,
    IIndexStore store,
    IOptions<AnswerOptions> answerOptions,
    DeclinePolicy declinePolicy,
    BotMetrics metrics,
    ILogger<QuestionAnswerer> logger)
{
    private const int TitlesInDecline = 5;

    /// <summary>The reply to <paramref name="request"/>, counted (platform, outcome, time) and traced stage by stage.</summary>
    public async Task<ChatReply> AnswerAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var platform = request.Origin?.Platform ?? "cli";
        using var span = BotMetrics.Traces.StartActivity("answer");
        span?.SetTag("chatbot.platform", platform);
        var started = Stopwatch.GetTimestamp();
        var reply = await AnswerCoreAsync(request, cancellationToken);
        var outcome = Outcome(reply);
        span?.SetTag("chatbot.outcome", outcome);
        metrics.Question(platform, outcome, Stopwatch.GetElapsedTime(started));
        if (outcome is "related" or "declined")
            metrics.Declined(platform, outcome == "related" ? "related" : "none");
        return reply;
    }

    /// <summary>
    /// answered: grounded, with citations; related: declined with a passage offered as reading; declined: the corpus
    /// does not say; other: no question to answer (a greeting, an empty question, an empty index).
    /// </summary>
    private static string Outcome(ChatReply reply) => reply switch
    {
        { Grounded: true } => "answered",
        { Declined: true, Citations.Count: > 0 } => "related",
        { Declined: true } => "declined",
        _ => "other",
    };

    private async Task<ChatReply> AnswerCoreAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var question = (request.Question ?? "").Trim();
        var language = request.Language ?? LanguageDetector.Detect(question);
        if (question.Length == 0)
            return Reply(BotMessages.Get("question.empty", language), language, [], clock, TimeSpan.Zero);

        var notes = new List<string>();
        if (answerOptions.Value.Cut(question) is var cut && cut.Length < question.Length)
        {
            question = cut;
            notes.Add(BotMessages.Get("question.truncated", language, answerOptions.Value.MaxQuestionChars));
        }

        using var modelDeadline = model.StartAnswerDeadline();
        var rewritten = await rewriter.RewriteAsync(question, request.History, cancellationToken);
        if (rewritten.ArticleAsked is { } articleId && await ArticleAnswerAsync(articleId, question, request.History[^1], language, notes, clock, cancellationToken) is { } aboutArticle)
            return aboutArticle;

        var retrieval = await retriever.RetrieveAsync(rewritten.Search, request.TopK, cancellationToken, hints: rewritten.Hints);
        language = request.Language ?? retrieval.Query.Language;
        if (retrieval.Query.IsEmpty && retrieval.Passages.Count == 0)
        {
            // Nothing but greetings, thanks or noise: say what the bot is for, rather than that the corpus lacks it.
            return Reply(BotMessages.Get(retrieval.Query.Cleaned.Length == 0 ? "greeting" : "question.empty", language), language, notes, clock, retrieval.Elapsed);
        }
        if (retrieval.Passages.Count == 0 && (await store.GetCountsAsync(cancellationToken)).Chunks == 0)
            return Reply(BotMessages.Get("index.empty", language), language, notes, clock, retrieval.Elapsed);

        // "Pourquoi l'Iran a-t-il demandé …?" when the corpus says it did not: the correction, not a decline nor an answer
        // to the premise. A language model is given the passages and corrects it itself.
        if (!model.IsEnabled && retrieval.Evidence.UnknownNames.Count == 0 && FalsePremise.Find(retrieval) is { } correction)
            return Corrected(correction, retrieval, language, notes, clock);

        var verdict = declinePolicy.Judge(retrieval.Evidence);
        // With a language model the passages go to it whatever the offline test says: "not in the corpus" is its call.
        if (verdict != Verdict.Answer && !(model.IsEnabled && !rewritten.LanguageModelFailed && retrieval.Passages.Count > 0 && retrieval.Evidence.UnknownNames.Count == 0))
        {
            LogDeclined(logger, retrieval.Evidence.Coverage, retrieval.Evidence.MissingNames);
            return verdict == Verdict.Related && retrieval.Passages.Count > 0
                ? RelatedReading(retrieval, language, notes, clock)
                : await DeclineAsync(language, notes, clock, retrieval.Elapsed, cancellationToken);
        }

        var answer = await generator.GenerateAsync(
            new AnswerContext(question, retrieval, language) { History = request.History, LanguageModelFailed = rewritten.LanguageModelFailed },
            cancellationToken);
        notes.AddRange(answer.Notes);
        if (!answer.Grounded)
            return await DeclineAsync(language, notes, clock, retrieval.Elapsed, cancellationToken);
        return new ChatReply(answer.Text, true, answer.Citations, language, notes,
            new ReplyTimings(retrieval.Elapsed.TotalMilliseconds, clock.Elapsed.TotalMilliseconds)) { ShortAnswer = answer.ShortAnswer, BoldCheck = answer.BoldCheck };
    }

    /// <summary>
    /// A question about the article the previous answer cited: "qui l'a rapporté ?" gets the source the quoted sentence
    /// credits ("a rapporté Defense News") or else the article's; "de quand date-t-il ?" its date.
    /// </summary>
    private async Task<ChatReply?> ArticleAnswerAsync(string articleId, string question, ChatTurn previous, Language language, List<string> notes, Stopwatch clock, CancellationToken cancellationToken)
    {
        var article = await store.GetArticleAsync(articleId, cancellationToken);
        var chunks = article is null ? [] : await store.GetArticleChunksAsync(articleId, cancellationToken);
        if (article is null || chunks.Count == 0)
            return null;
        var passage = new Passage(1, article.Id, article.Title, article.Source, article.Published, article.Url, article.Text, chunks[0].Start, chunks[0].End, chunks[0].Start, chunks[0].End, 1);
        var type = Retrieval.Understanding.AnswerTypes.Of(question);
        var quoted = Attribution.Quotes(previous.Answer).FirstOrDefault(q => Attribution.Of(q) is not null);
        if (type == Retrieval.Understanding.AnswerType.ArticleSource && quoted is not null)
        {
            var credited = Attribution.Of(quoted)!;
            var citation = new Citation(1, article.Id, article.Title, article.Source, article.Published, article.Url, quoted);
            return new ChatReply($"**{credited}** — « {quoted} » [1]", true, [citation], language, notes, new ReplyTimings(0, clock.Elapsed.TotalMilliseconds)) { ShortAnswer = credited };
        }
        var answer = ArticleMetadata.Answer(type, passage, language);
        return new ChatReply(answer.Text, true, answer.Citations, language, notes, new ReplyTimings(0, clock.Elapsed.TotalMilliseconds)) { ShortAnswer = answer.ShortAnswer };
    }

    private static ChatReply Corrected(FalsePremise.Correction correction, RetrievalResult retrieval, Language language, List<string> notes, Stopwatch clock)
    {
        var p = correction.Passage;
        var citation = new Citation(1, p.ArticleId, p.Title, p.Source, p.Published, p.Url, correction.Sentence);
        return new ChatReply($"{BotMessages.Get("answer.premise", language)} « {correction.Sentence} » [1]", true, [citation], language, notes,
            new ReplyTimings(retrieval.Elapsed.TotalMilliseconds, clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>
    /// "The corpus does not say it; it mentions …[1]": the closest sentence, cited, but not as an answer. When the
    /// passages are on the topic but not on what is asked, the reply names both: "Le corpus parle de Sergueï Lavrov,
    /// mais pas de son âge".
    /// </summary>
    private static ChatReply RelatedReading(RetrievalResult retrieval, Language language, List<string> notes, Stopwatch clock)
    {
        var passage = retrieval.Passages[0];
        var hit = SentenceSplitter.Split(passage.ArticleText, passage.HitStart, passage.HitEnd)
            .Select(s => s.Of(passage.ArticleText).Trim())
            .Where(s => s.Length >= 20)
            .DefaultIfEmpty(passage.Title)
            .MaxBy(s => retrieval.Evidence.CoverageOf(new TextWords(s, WordAnalysers.Shared).Contains))!;
        if (hit.Length > 400)
            hit = hit[..hit.LastIndexOf(' ', 400)] + " …";
        var citation = new Citation(1, passage.ArticleId, passage.Title, passage.Source, passage.Published, passage.Url, hit);
        var evidence = retrieval.Evidence;
        var lead = !evidence.AskAnswered && TopicLabel(retrieval.Query) is { Length: > 0 } topic
            ? BotMessages.Get("answer.ask.missing", language, topic, evidence.Ask.Label(language))
            : BotMessages.Get("answer.related", language);
        var text = $"{lead} « {hit} » [1]";
        return new ChatReply(text, false, [citation], language, notes, new ReplyTimings(retrieval.Elapsed.TotalMilliseconds, clock.Elapsed.TotalMilliseconds)) { Declined = true };
    }

    /// <summary>
    /// The question's topic as the user wrote it: whole words ("S-300", not "300"), names kept whole ("Hossein
    /// Dehghan"), joined with "et"/"and".
    /// </summary>
    internal static string TopicLabel(Retrieval.Understanding.Query query)
    {
        var words = query.Cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('?', '!', '.', ',', ';', ':', '"', '«', '»', '(', ')'))
            .ToList();
        var parts = new List<string>();
        var last = -2;
        foreach (var concept in query.Topic)
        {
            var at = words.FindIndex(Math.Max(0, last + 1), w => w.Contains(concept.Surface, StringComparison.Ordinal));
            var surface = at < 0 ? concept.Surface : words[at];
            // An elided article stays out of the name: "l'Iran" is "Iran".
            if (surface.IndexOfAny(['\'', '’']) is var apostrophe and > 0 and < 3)
                surface = surface[(apostrophe + 1)..];
            if (at >= 0 && at == last + 1 && parts.Count > 0)
                parts[^1] += " " + surface;
            else if (at < 0 || at > last)
                parts.Add(surface);
            last = Math.Max(last, at);
        }
        if (parts.Count > 3)
            parts = parts.Take(3).ToList();
        var and = query.Language == Language.English ? " and " : " et ";
        return parts.Count <= 1 ? string.Concat(parts) : string.Join(", ", parts[..^1]) + and + parts[^1];
    }

    private async Task<ChatReply> DeclineAsync(Language language, List<string> notes, Stopwatch clock, TimeSpan retrieval, CancellationToken cancellationToken) =>
        Reply(await DeclineTextAsync(store, language, cancellationToken), language, notes, clock, retrieval) with { Declined = true };

    /// <summary>"The corpus does not answer this", followed by what it is about (newest titles and the article count).</summary>
    public static async Task<string> DeclineTextAsync(IIndexStore store, Language language, CancellationToken cancellationToken)
    {
        var text = BotMessages.Get("decline", language);
        var count = (await store.GetCountsAsync(cancellationToken)).Articles;
        if (count > 0)
        {
            var newest = await store.ListNewestArticlesAsync(TitlesInDecline, cancellationToken);
            text += " " + BotMessages.Get("decline.about", language, count, string.Join(" ; ", newest.Select(a => $"« {a.Title} »")));
        }
        return text;
    }

    private static ChatReply Reply(string text, Language language, IReadOnlyList<string> notes, Stopwatch clock, TimeSpan retrieval) =>
        new(text, false, [], language, notes, new ReplyTimings(retrieval.TotalMilliseconds, clock.Elapsed.TotalMilliseconds));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Declined: the best passage covers {Coverage:0.00} of the question and lacks {MissingNames} of its names")]
    private static partial void LogDeclined(ILogger logger, double coverage, int missingNames);
}
