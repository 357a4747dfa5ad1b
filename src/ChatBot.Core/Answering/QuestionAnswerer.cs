using System.Diagnostics;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Storage;
using ChatBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Answering;

/// <summary>
/// The bot's brain, shared by every front end: retrieve, judge the evidence, generate a cited answer, or say plainly
/// that the corpus does not cover the question (citing nothing, and saying what the corpus is about).
/// </summary>
public sealed partial class QuestionAnswerer(
    HybridRetriever retriever,
    FollowUpCondenser condenser,
    IAnswerGenerator generator,
    IIndexStore store,
    IOptions<AnswerOptions> answerOptions,
    IOptions<RetrievalOptions> retrievalOptions,
    ILogger<QuestionAnswerer> logger)
{
    private const int TitlesInDecline = 5;

    public async Task<ChatReply> AnswerAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var question = (request.Question ?? "").Trim();
        var language = request.Language ?? LanguageDetector.Detect(question);
        if (question.Length == 0)
            return Reply(BotMessages.Get("question.empty", language), language, [], clock, TimeSpan.Zero);

        var notes = new List<string>();
        var max = answerOptions.Value.MaxQuestionChars;
        if (question.Length > max)
        {
            var cut = question.LastIndexOf(' ', max - 1);
            question = question[..(cut > max / 2 ? cut : max)];
            notes.Add(BotMessages.Get("question.truncated", language, max));
        }

        var retrieval = await retriever.RetrieveAsync(await condenser.CondenseAsync(question, request.History, cancellationToken), request.TopK, cancellationToken);
        language = request.Language ?? LanguageDetector.Detect(question);
        if (retrieval.Passages.Count == 0 && (await store.GetCountsAsync(cancellationToken)).Chunks == 0)
            return Reply(BotMessages.Get("index.empty", language), language, notes, clock, retrieval.Elapsed);

        if (retrieval.Evidence.UnknownNames.Count > 0 || retrieval.Evidence.BestCoverage < retrievalOptions.Value.MinCoverage)
        {
            LogDeclined(logger, retrieval.Evidence.BestCoverage, retrievalOptions.Value.MinCoverage);
            return await DeclineAsync(language, notes, clock, retrieval.Elapsed, cancellationToken);
        }

        var answer = await generator.GenerateAsync(new AnswerContext(question, retrieval, language) { History = request.History }, cancellationToken);
        notes.AddRange(answer.Notes);
        if (!answer.Grounded)
            return await DeclineAsync(language, notes, clock, retrieval.Elapsed, cancellationToken);
        return new ChatReply(answer.Text, true, answer.Citations, language, notes,
            new ReplyTimings(retrieval.Elapsed.TotalMilliseconds, clock.Elapsed.TotalMilliseconds));
    }

    private async Task<ChatReply> DeclineAsync(Language language, List<string> notes, Stopwatch clock, TimeSpan retrieval, CancellationToken cancellationToken) =>
        Reply(await DeclineTextAsync(store, language, cancellationToken), language, notes, clock, retrieval);

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Declined: best passage covers {Coverage:0.00} of the question, below {Threshold:0.00}")]
    private static partial void LogDeclined(ILogger logger, double coverage, double threshold);
}
