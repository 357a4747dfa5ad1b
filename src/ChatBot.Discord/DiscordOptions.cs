using System.ComponentModel.DataAnnotations;
using ChatBot.Core.Foundation.Hosting;

namespace ChatBot.Discord;

public sealed class DiscordOptions
{
    public const string SectionName = "ChatBot:Discord";

    /// <summary>The bot token (Developer Portal → Bot → Reset Token). Empty: the Discord adapter is off.</summary>
    public string? Token { get; set; }

    [OptionalUrl(ErrorMessage = "ChatBot:Discord:ApiBaseUrl must be an absolute URL.")]
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Overrides the gateway URL from <c>GET /gateway/bot</c>.</summary>
    [OptionalUrl(ErrorMessage = "ChatBot:Discord:GatewayUrl must be an absolute ws:// or wss:// URL.")]
    public string? GatewayUrl { get; set; }

    /// <summary>Register slash commands in this guild only (instant; for development). Empty: globally.</summary>
    [RegularExpression(@"^$|^\d+$", ErrorMessage = "ChatBot:Discord:DevGuildId must be a guild id (digits).")]
    public string? DevGuildId { get; set; }

    /// <summary>Channels where every message is taken as a question (besides mentions and DMs).</summary>
    public List<string> AnswerChannels { get; set; } = [];

    /// <summary>Answer a guild message in a thread started on it.</summary>
    public bool ReplyInThread { get; set; }

    [Range(0, 1023)]
    public int? ShardId { get; set; }

    [Range(1, 1024)]
    public int? ShardCount { get; set; }

    [Range(1, 64)]
    public int MaxConcurrentEvents { get; set; } = 8;

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);
}
