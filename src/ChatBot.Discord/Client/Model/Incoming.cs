using System.Text.Json;

namespace ChatBot.Discord.Client.Model;

// What Discord sends: gateway events and REST responses, as far as the bot reads them (unknown fields are ignored).
// Snowflakes stay strings, as Discord sends them. A payload without a required field fails to read (JsonException).

/// <summary>A user (the author of a message, a mentioned user, the bot itself).</summary>
public sealed record DiscordUser
{
    public required string Id { get; init; }

    public string? Username { get; init; }

    /// <summary>Whether the account is a bot's: bots are never answered.</summary>
    public bool Bot { get; init; }
}

/// <summary>A guild member: in a guild, an interaction names its user through the member.</summary>
public sealed record DiscordMember
{
    public DiscordUser? User { get; init; }
}

/// <summary>A message (MESSAGE_CREATE, a message the bot created, the message a reply refers to).</summary>
public sealed record DiscordMessage
{
    public required string Id { get; init; }

    public string ChannelId { get; init; } = "";

    /// <summary>Absent (or null) in a direct message.</summary>
    public string? GuildId { get; init; }

    public DiscordUser? Author { get; init; }

    public string? Content { get; init; }

    public IReadOnlyList<DiscordUser> Mentions { get; init; } = [];

    public bool MentionEveryone { get; init; }

    /// <summary>Set when a webhook posted the message: webhooks are never answered.</summary>
    public string? WebhookId { get; init; }

    /// <summary>The message this one replies to, when Discord could resolve it.</summary>
    public DiscordMessage? ReferencedMessage { get; init; }

    public bool IsDirect => GuildId is null;
}

/// <summary>An INTERACTION_CREATE: a slash command or a button press.</summary>
public sealed record DiscordInteraction
{
    public required string Id { get; init; }

    /// <summary>Answers the interaction for 15 minutes (the first answer within 3 s).</summary>
    public required string Token { get; init; }

    /// <summary>See <see cref="InteractionType"/>.</summary>
    public int Type { get; init; }

    public string? ApplicationId { get; init; }

    public string? ChannelId { get; init; }

    public string? GuildId { get; init; }

    /// <summary>In a guild: who used the interaction.</summary>
    public DiscordMember? Member { get; init; }

    /// <summary>In a direct message: who used the interaction.</summary>
    public DiscordUser? User { get; init; }

    public InteractionData? Data { get; init; }

    /// <summary>For a button press: the message that carries the button.</summary>
    public DiscordMessage? Message { get; init; }

    /// <summary>The user's client language (<c>fr</c>, <c>en-US</c>…).</summary>
    public string? Locale { get; init; }

    /// <summary>Who used the interaction, in a guild or a direct message.</summary>
    public DiscordUser? Invoker => Member?.User ?? User;
}

/// <summary>What was invoked: a command's name and options, or a component's id.</summary>
public sealed record InteractionData
{
    public string? Name { get; init; }

    public string? CustomId { get; init; }

    public int? ComponentType { get; init; }

    public IReadOnlyList<InteractionOption> Options { get; init; } = [];
}

/// <summary>One option of a slash command; its value is a string or a number, as the option's type says.</summary>
public sealed record InteractionOption
{
    public string Name { get; init; } = "";

    public int Type { get; init; }

    public JsonElement? Value { get; init; }

    /// <summary>The value as text: a string as it is, a number in its JSON form.</summary>
    public string? Text => Value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } or null => null,
        { } v => v.GetRawText(),
    };
}

/// <summary>READY: who the bot is and how to resume the session.</summary>
public sealed record ReadyEvent
{
    public required DiscordUser User { get; init; }

    public required DiscordApplication Application { get; init; }

    public required string SessionId { get; init; }

    public required string ResumeGatewayUrl { get; init; }
}

public sealed record DiscordApplication
{
    public required string Id { get; init; }
}

/// <summary>Hello (op 10): how often to beat.</summary>
public sealed record HelloEvent
{
    public required double HeartbeatInterval { get; init; }
}

/// <summary>A channel, as far as the bot needs it: where a thread may start.</summary>
public sealed record DiscordChannel
{
    public required string Id { get; init; }

    /// <summary>See <see cref="ChannelType"/>.</summary>
    public int Type { get; init; } = -1;
}

/// <summary><c>GET /gateway/bot</c>.</summary>
public sealed record GatewayBotResponse
{
    public required string Url { get; init; }

    public SessionStartLimit? SessionStartLimit { get; init; }
}

/// <summary>How many sessions (Identify) the bot may still start, and when the budget resets.</summary>
public sealed record SessionStartLimit
{
    public int Total { get; init; }

    public int Remaining { get; init; }

    /// <summary>Milliseconds until the budget resets.</summary>
    public double ResetAfter { get; init; }

    public int MaxConcurrency { get; init; } = 1;
}

/// <summary>The body of a 429.</summary>
public sealed record RateLimitResponse
{
    /// <summary>Seconds to wait.</summary>
    public double RetryAfter { get; init; } = 1;

    public bool Global { get; init; }
}
