using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval;

namespace ChatBot.Core.Answering;

/// <summary>What a generator is given: the question, what retrieval found, and the language to answer in.</summary>
public sealed record AnswerContext(string Question, RetrievalResult Retrieval, Language Language)
{
    /// <summary>Earlier turns of the conversation, oldest first.</summary>
    public IReadOnlyList<ChatTurn> History { get; init; } = [];

    /// <summary>The language model already failed on this question (rewriting it): do not wait on it again.</summary>
    public bool LanguageModelFailed { get; init; }
}

/// <summary>A generated answer. Without citations it is not grounded and the caller declines instead.</summary>
public sealed record GeneratedAnswer(string Text, IReadOnlyList<Citation> Citations)
{
    /// <summary>Remarks for the reader, e.g. that the language model was unavailable and the answer is extractive.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The answer in a few words (a name, a date, a quantity) when one was found; the reply leads with it.</summary>
    public string? ShortAnswer { get; init; }

    /// <summary>The short answer before the check that no nearly-as-good sentence gives another, and how close one came (for evaluation).</summary>
    public BoldCheck? BoldCheck { get; init; }

    public bool Grounded => Citations.Count > 0;

    public static GeneratedAnswer NotGrounded { get; } = new("", []);
}

/// <summary>
/// Writes the answer from retrieved passages. The default is extractive (offline); an LLM generator plugs in here.
/// </summary>
public interface IAnswerGenerator
{
    string Name { get; }

    Task<GeneratedAnswer> GenerateAsync(AnswerContext context, CancellationToken cancellationToken);
}
