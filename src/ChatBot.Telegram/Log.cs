using Microsoft.Extensions.Logging;

namespace ChatBot.Telegram;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: connected as @{Username} ({Mode})")]
    public static partial void Connected(ILogger logger, string username, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: flood limit, waiting {Seconds} s as asked (retry_after)")]
    public static partial void RateLimited(ILogger logger, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: request failed ({Reason}); retrying in {Seconds:0.#} s")]
    public static partial void Retrying(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: handling update {UpdateId} failed")]
    public static partial void UpdateFailed(ILogger logger, Exception exception, int updateId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: could not send the apology for update {UpdateId}")]
    public static partial void ApologyFailed(ILogger logger, Exception exception, int updateId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: a button press could not be acknowledged ({Reason})")]
    public static partial void CallbackNotAnswered(ILogger logger, string reason);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook: request refused ({Reason}); {Count} refused since the last such line (logged at most once a minute)")]
    public static partial void WebhookRefused(ILogger logger, string reason, int count);
}
