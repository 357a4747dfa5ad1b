namespace ChatBot.Discord.Bot;

/// <summary>The bot's user id and application id, from READY.</summary>
public sealed class DiscordIdentity
{
    public string? UserId { get; set; }
    public string? ApplicationId { get; set; }
}
