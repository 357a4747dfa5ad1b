using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using Microsoft.Extensions.Logging;

namespace ChatBot.Ai.Answers;

/// <summary>
/// Answers with a language model (<c>prompts/answer.md</c>), guarded by the <see cref="CitationChecker"/>:
/// "not in the corpus" declines; an answer without a valid citation, or any provider failure, falls back to the
/// extractive answer, with a note when the model was unavailable. A model that already failed for this question (its
/// rewrite) is not asked again: the question gets the extractive answer at once.
/// </summary>
public sealed partial class SemanticKernelAnswerGenerator(
    OptionalLanguageModel model,
    CitationChecker checker,
    ExtractiveAnswerGenerator fallback,
    ILogger<SemanticKernelAnswerGenerator> logger) : IAnswerGenerator
{
    public string Name => "semantic-kernel";

    public async Task<GeneratedAnswer> GenerateAsync(AnswerContext context, CancellationToken cancellationToken)
    {
        var passages = context.Retrieval.Passages;
        var text = context.LanguageModelFailed ? null : await model.TryCompleteAsync("answer", new Dictionary<string, string>
        {
            ["question"] = context.Question,
            ["passages"] = CitationChecker.Numbered(passages, context.Language),
            ["history"] = ChatTurn.Transcript(context.History),
            ["language"] = BotMessages.Get("language.name", context.Language),
        }, cancellationToken);
        if (text is null)
        {
            var extractive = await fallback.GenerateAsync(context, cancellationToken);
            return extractive with { Notes = [BotMessages.Get("llm.unavailable", context.Language)] };
        }

        if (CitationChecker.SaysNotInCorpus(text))
            return GeneratedAnswer.NotGrounded;
        var checkedAnswer = checker.Check(text, passages);
        if (checkedAnswer.Citations.Count == 0)
        {
            LogUngrounded(logger);
            return await fallback.GenerateAsync(context, cancellationToken);
        }
        return checkedAnswer;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Language model answer had no valid citation; answering extractively")]
    private static partial void LogUngrounded(ILogger logger);
}
