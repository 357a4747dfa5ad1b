using ChatBot.Core.Answering;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// Offline follow-up handling: a question too short to stand alone ("Et quand ?", "Qui l'a rapporté ?") is searched
/// together with the content words of the previous question, so it lands on the same articles. A question with
/// enough words of its own is left as it is.
/// </summary>
public sealed class FollowUpCondenser(QueryBuilder queryBuilder, IEnumerable<ILanguageModel> models)
{
    private readonly ILanguageModel? _model = models.FirstOrDefault();

    /// <summary>
    /// With a language model, a follow-up is rewritten by <c>prompts/condense-question.md</c>; without one, or if it
    /// fails, by <see cref="Condense"/>.
    /// </summary>
    public async Task<string> CondenseAsync(string question, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken)
    {
        if (history.Count == 0 || _model is null)
            return Condense(question, history);
        try
        {
            var rewritten = await _model.CompleteAsync("condense-question", new Dictionary<string, string>
            {
                ["question"] = question,
                ["history"] = ChatTurn.Transcript(history),
            }, cancellationToken);
            return string.IsNullOrWhiteSpace(rewritten) || rewritten.Length > 4 * Math.Max(question.Length, 100) ? Condense(question, history) : rewritten.Trim();
        }
        catch (LanguageModelUnavailableException)
        {
            return Condense(question, history);
        }
    }

    /// <summary>Content words from which a question is taken to be self-contained.</summary>
    public const int SelfContainedWords = 3;

    public string Condense(string question, IReadOnlyList<ChatTurn> history)
    {
        if (history.Count == 0)
            return question;
        var own = queryBuilder.Build(question).Groups;
        if (own.Count >= SelfContainedWords)
            return question;
        var ownTerms = own.SelectMany(g => g.Terms).ToHashSet(StringComparer.Ordinal);
        var carried = queryBuilder.Build(history[^1].Question).Groups
            .Where(g => !g.Terms.Overlaps(ownTerms))
            .Select(g => g.Word);
        return string.Join(' ', carried.Prepend(question));
    }
}
