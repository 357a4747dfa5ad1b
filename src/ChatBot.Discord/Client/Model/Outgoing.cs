using System.Text.Json.Serialization;

namespace ChatBot.Discord.Client.Model;

// What the bot sends: REST bodies and gateway commands. Null members are left out of the JSON.

/// <summary>A message to create or edit (also an interaction's answer and its follow-ups).</summary>
public sealed record MessagePayload
{
    public string? Content { get; init; }

    public IReadOnlyList<Embed>? Embeds { get; init; }

    public IReadOnlyList<ActionRow>? Components { get; init; }

    /// <summary>Set by the REST client on every message: nobody is ever pinged (<see cref="AllowedMentions.None"/>).</summary>
    public AllowedMentions? AllowedMentions { get; init; }

    public MessageReference? MessageReference { get; init; }

    /// <summary>See <see cref="MessageFlags"/>.</summary>
    public int? Flags { get; init; }
}

public sealed record Embed
{
    public required string Title { get; init; }

    public string? Description { get; init; }

    public string? Url { get; init; }

    public EmbedFooter? Footer { get; init; }
}

public sealed record EmbedFooter(string Text);

/// <summary>A row of buttons under a message.</summary>
public sealed record ActionRow(IReadOnlyList<Button> Components)
{
    public int Type { get; init; } = ComponentType.ActionRow;
}

public sealed record Button(string Label, string CustomId)
{
    public int Type { get; init; } = ComponentType.Button;

    public int Style { get; init; } = ComponentType.SecondaryStyle;
}

/// <summary>Which mentions in a message may ping.</summary>
public sealed record AllowedMentions
{
    /// <summary>Never ping: no @everyone, no roles, no users, not even the replied-to author.</summary>
    public static AllowedMentions None { get; } = new();

    public IReadOnlyList<string> Parse { get; init; } = [];

    public bool RepliedUser { get; init; }
}

/// <summary>Makes a message a reply; it still posts when the original is gone.</summary>
public sealed record MessageReference(string MessageId)
{
    public bool FailIfNotExists { get; init; }
}

/// <summary>The first answer to an interaction (see <see cref="InteractionCallbackType"/>).</summary>
public sealed record InteractionResponse(int Type)
{
    public MessagePayload? Data { get; init; }
}

/// <summary><c>POST /channels/{channel}/messages/{message}/threads</c>.</summary>
public sealed record ThreadCreate(string Name)
{
    /// <summary>Minutes without activity before the thread is archived.</summary>
    public int AutoArchiveDuration { get; init; } = 1440;
}

/// <summary>A slash command as registered with Discord.</summary>
public sealed record ApplicationCommand
{
    public required string Name { get; init; }

    public int Type { get; init; } = ApplicationCommandType.ChatInput;

    public required string Description { get; init; }

    public IReadOnlyDictionary<string, string>? DescriptionLocalizations { get; init; }

    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }

    /// <summary>"0": visible to server administrators only.</summary>
    public string? DefaultMemberPermissions { get; init; }
}

public sealed record ApplicationCommandOption
{
    public required string Name { get; init; }

    public int Type { get; init; }

    public required string Description { get; init; }

    public IReadOnlyDictionary<string, string>? DescriptionLocalizations { get; init; }

    public bool Required { get; init; }
}

/// <summary>Identify (op 2): a new session.</summary>
public sealed record IdentifyCommand
{
    public required string Token { get; init; }

    public int Intents { get; init; }

    public IdentifyProperties Properties { get; init; } = new();

    /// <summary><c>[shard id, shard count]</c>, when sharded.</summary>
    public IReadOnlyList<int>? Shard { get; init; }
}

public sealed record IdentifyProperties
{
    public string Os { get; init; } = "linux";

    public string Browser { get; init; } = "chatbot";

    public string Device { get; init; } = "chatbot";
}

/// <summary>Resume (op 6): the same session after a reconnect.</summary>
public sealed record ResumeCommand
{
    public required string Token { get; init; }

    public required string SessionId { get; init; }

    /// <summary>The last sequence number received.</summary>
    [JsonPropertyName("seq")]
    public int? Sequence { get; init; }
}
