using ChatBot.Core.Foundation.Ai;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Answering;

/// <summary>
/// The language model when one is configured (as eShop's <c>CatalogAI</c>): callers ask <see cref="IsEnabled"/> and
/// fall back to the extractive path, and every failure is handled here once: one warning line (no stack trace), the
/// last error kept for the operator, null for the caller. An answer's calls share one deadline
/// (<see cref="StartAnswerDeadline"/>): a model that accepts connections and never replies costs an answer
/// <see cref="AiOptions.AnswerDeadlineSeconds"/> at most, not every try's timeout added up.
/// </summary>
public sealed partial class OptionalLanguageModel(IEnumerable<ILanguageModel> models, IOptions<AiOptions> options, TimeProvider time, ILogger<OptionalLanguageModel> logger)
{
    private static readonly AsyncLocal<CancellationTokenSource?> AnswerDeadline = new();

    private readonly ILanguageModel? _model = models.FirstOrDefault();

    /// <summary>
    /// Starts the deadline the model calls of the current answer share (those made by the calling flow from now on);
    /// dispose it when the answer is done.
    /// </summary>
    public IDisposable? StartAnswerDeadline()
    {
        if (_model is null)
            return null;
        var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.AnswerDeadlineSeconds), time);
        AnswerDeadline.Value = deadline;
        return deadline;
    }

    public bool IsEnabled => _model is not null;

    /// <summary>The last failure, for the operator's view.</summary>
    public (DateTimeOffset At, string Message)? LastError { get; private set; }

    /// <summary>The model's completion of <paramref name="prompt"/>, or null when there is no model or it failed.</summary>
    public async Task<string?> TryCompleteAsync(string prompt, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        if (_model is null)
            return null;
        var deadline = AnswerDeadline.Value;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await _model.CompleteAsync(prompt, variables, linked?.Token ?? cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && deadline is not null && IsPast(deadline) && !cancellationToken.IsCancellationRequested)
        {
            var reason = $"no reply within the answer's deadline of {options.Value.AnswerDeadlineSeconds} s";
            LastError = (time.GetUtcNow(), reason);
            LogUnavailable(logger, prompt, reason);
            return null;
        }
        catch (LanguageModelUnavailableException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            LastError = (time.GetUtcNow(), reason);
            LogUnavailable(logger, prompt, Shorten(reason));
            return null;
        }
    }

    private static bool IsPast(CancellationTokenSource deadline)
    {
        try
        {
            return deadline.IsCancellationRequested;
        }
        catch (ObjectDisposedException)
        {
            return true;
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
