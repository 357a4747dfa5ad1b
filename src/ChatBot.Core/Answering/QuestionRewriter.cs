using System.Text.RegularExpressions;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Retrieval.Pipeline;
using ChatBot.Core.Retrieval.Understanding;
using Microsoft.Extensions.Logging;

namespace ChatBot.Core.Answering;

/// <summary>
/// A question made ready for retrieval: the text to search, what the conversation adds (the article it was about),
/// and, for a question about that article itself ("Et qui l'a rapporté ?"), the article to answer from.
/// </summary>
public sealed record RewrittenQuestion(string Search, RetrievalHints Hints, string? ArticleAsked = null)
{
    /// <summary>A language model is configured but failed to rewrite the question.</summary>
    public bool LanguageModelFailed { get; init; }
}

/// <summary>
/// Resolves what a question refers to. With a language model, every question is rewritten by
/// <c>prompts/rewrite-query.md</c> into a standalone French search query. Offline (or when the model fails): a question
/// with enough content of its own stands alone; "Et l'Inde ?" puts the new name in place of the previous question's
/// last one; a short follow-up ("Quand ?", "Et pourquoi ?") carries the previous question's content words and favours
/// the article that answered it; a question about an article itself goes to the article last cited.
/// </summary>
public sealed partial class QuestionRewriter(QueryBuilder queryBuilder, OptionalLanguageModel model, ILogger<QuestionRewriter> logger)
{
    /// <summary>Content words from which a question is taken to stand alone.</summary>
    public const int SelfContainedWords = 3;

    [GeneratedRegex(@"^\s*(?:et|and|what about|how about|et pour|et qu'en est-il (?:de|du|des|pour)|et concernant|et côté|et cote|et avec|et chez)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AndWhatAbout();

    public async Task<RewrittenQuestion> RewriteAsync(string question, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken)
    {
        var offline = Rewrite(question, history);
        if (!model.IsEnabled || offline.ArticleAsked is not null)
            return offline;
        var rewritten = await model.TryCompleteAsync("rewrite-query", new Dictionary<string, string>
        {
            ["question"] = question,
            ["history"] = ChatTurn.Transcript(history),
        }, cancellationToken);
        if (rewritten is null)
            return offline with { LanguageModelFailed = true };
        if (string.IsNullOrWhiteSpace(rewritten) || rewritten.Length > 4 * Math.Max(question.Length, 100))
            return offline;
        LogRewritten(logger, rewritten.Length);
        return offline with { Search = rewritten.Trim().Split('\n')[0] };
    }

    public RewrittenQuestion Rewrite(string question, IReadOnlyList<ChatTurn> history)
    {
        if (history.Count == 0)
            return new RewrittenQuestion(question, RetrievalHints.None);
        var previous = history[^1];
        var hints = new RetrievalHints(previous.Citations);
        var own = queryBuilder.Build(question);
        if (own.AnswerType is AnswerType.ArticleSource or AnswerType.ArticleDate && previous.Citations.Count > 0 && own.Concepts.Count < SelfContainedWords)
            return new RewrittenQuestion(question, hints, previous.Citations[0]);
        if (own.Concepts.Count >= SelfContainedWords)
            return new RewrittenQuestion(question, RetrievalHints.None);

        var before = queryBuilder.Build(previous.Question);
        if (AndWhatAbout().IsMatch(own.Cleaned) && own.Concepts.Count > 0 && own.Concepts.All(c => c.IsName || char.IsUpper(c.Surface[0])))
        {
            // "Et l'Inde ?": the previous question about the new name, in place of the previous question's last name.
            var replaced = before.Concepts.LastOrDefault(c => c.IsName);
            if (replaced is not null)
            {
                var swapped = Regex.Replace(previous.Question, $@"\b{Regex.Escape(replaced.Surface)}\b", string.Join(' ', own.Concepts.Select(c => c.Surface)));
                return new RewrittenQuestion(swapped, RetrievalHints.None);
            }
        }
        // "Quand ?", "Et pourquoi ?": the question's own words first (they say what is asked), then the topic.
        var ownWords = own.Concepts.Select(c => c.Folded).ToHashSet(StringComparer.Ordinal);
        var carried = before.Concepts.Where(c => !ownWords.Contains(c.Folded)).Select(c => c.Surface);
        return new RewrittenQuestion(string.Join(' ', carried.Prepend(question)), hints);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The language model rewrote the question into a {Length}-character search query")]
    private static partial void LogRewritten(ILogger logger, int length);
}
