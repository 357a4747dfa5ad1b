using System.ComponentModel.DataAnnotations;
using ChatBot.Core.Foundation.Hosting;

namespace ChatBot.Telegram;

public sealed class TelegramOptions
{
    public const string SectionName = "ChatBot:Telegram";

    /// <summary>The bot token from @BotFather (<c>123456:ABC-…</c>). Empty: the Telegram adapter is off.</summary>
    [RegularExpression(@"^$|^\d+:[A-Za-z0-9_-]+$", ErrorMessage = "ChatBot:Telegram:Token must look like 123456789:AAE... (from @BotFather).")]
    public string? Token { get; set; }

    /// <summary>Bot API server, e.g. a local <c>telegram-bot-api</c>; empty for Telegram's own.</summary>
    [OptionalUrl(ErrorMessage = "ChatBot:Telegram:BaseUrl must be an absolute URL.")]
    public string? BaseUrl { get; set; }

    /// <summary><c>Polling</c> (default, no public address needed) or <c>Webhook</c>.</summary>
    [RegularExpression("^(?i:polling|webhook)$", ErrorMessage = "ChatBot:Telegram:Mode must be 'Polling' or 'Webhook'.")]
    public string Mode { get; set; } = "Polling";

    /// <summary>Webhook mode: the public HTTPS URL Telegram posts updates to (its path is served locally).</summary>
    [OptionalUrl(ErrorMessage = "ChatBot:Telegram:WebhookUrl must be an absolute URL.")]
    public string? WebhookUrl { get; set; }

    /// <summary>Webhook mode: the secret Telegram sends in <c>X-Telegram-Bot-Api-Secret-Token</c>.</summary>
    [RegularExpression("^$|^[A-Za-z0-9_-]{1,256}$", ErrorMessage = "ChatBot:Telegram:WebhookSecret may hold 1-256 letters, digits, '_' and '-'.")]
    public string? WebhookSecret { get; set; }

    /// <summary>Webhook mode: local address the endpoint listens on.</summary>
    public string WebhookListenUrl { get; set; } = "http://0.0.0.0:8443";

    /// <summary>Long-polling wait per <c>getUpdates</c> call.</summary>
    [Range(0, 50)]
    public int PollTimeoutSeconds { get; set; } = 30;

    /// <summary>Updates handled at once (messages of one chat are always handled in order).</summary>
    [Range(1, 64)]
    public int MaxConcurrentUpdates { get; set; } = 8;

    /// <summary>Least time between two messages sent to one chat (Telegram: about one a second).</summary>
    [Range(0, 60_000)]
    public int PerChatIntervalMs { get; set; } = 1000;

    /// <summary>Most messages sent to one group in a minute (Telegram: 20).</summary>
    [Range(1, 1000)]
    public int GroupMessagesPerMinute { get; set; } = 20;

    /// <summary>The "typing…" indicator is sent again this often while an answer is being prepared.</summary>
    [Range(1, 5)]
    public int TypingIntervalSeconds { get; set; } = 4;

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public bool UsesWebhook => string.Equals(Mode, "webhook", StringComparison.OrdinalIgnoreCase);
}
