namespace ChatBot.Core.Answering;

/// <summary>
/// A language model behind a named prompt template (<c>prompts/NAME.md</c>). Registered only when one is configured;
/// the core checks for it and otherwise stays extractive. Throws <see cref="LanguageModelUnavailableException"/> when
/// the provider fails after its retries.
/// </summary>
public interface ILanguageModel
{
    Task<string> CompleteAsync(string prompt, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken);
}

/// <summary>The model server failed (after retries), timed out, or answered something unreadable.</summary>
public sealed class LanguageModelUnavailableException : Exception
{
    public LanguageModelUnavailableException(string message, Exception inner) : base(message, inner) { }

    public LanguageModelUnavailableException() { }

    public LanguageModelUnavailableException(string message) : base(message) { }
}
