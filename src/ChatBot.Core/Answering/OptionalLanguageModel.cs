using Microsoft.Extensions.Logging;

namespace ChatBot.Core.Answering;

/// <summary>
/// The language model when one is configured (as eShop's <c>CatalogAI</c>): callers ask <see cref="IsEnabled"/> and
/// fall back to the extractive path, and every failure is handled here once: one warning line (no stack trace), the
/// last error kept for the operator, null for the caller.
/// </summary>
public sealed partial class OptionalLanguageModel(IEnumerable<ILanguageModel> models, TimeProvider time, ILogger<OptionalLanguageModel> logger)
{
    private readonly ILanguageModel? _model = models.FirstOrDefault();

    public bool IsEnabled => _model is not null;

    /// <summary>The last failure, for the operator's view.</summary>
    public (DateTimeOffset At, string Message)? LastError { get; private set; }

    /// <summary>The model's completion of <paramref name="prompt"/>, or null when there is no model or it failed.</summary>
    public async Task<string?> TryCompleteAsync(string prompt, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        if (_model is null)
            return null;
        try
        {
            return await _model.CompleteAsync(prompt, variables, cancellationToken);
        }
        catch (LanguageModelUnavailableException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            LastError = (time.GetUtcNow(), reason);
            LogUnavailable(logger, prompt, Shorten(reason));
            return null;
        }
    }

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Language model unavailable for '{Prompt}' ({Reason}); answering from the corpus without it")]
    private static partial void LogUnavailable(ILogger logger, string prompt, string reason);
}
