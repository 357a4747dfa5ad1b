using ChatBot.Core.Answering.Chat;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Controls;

/// <summary>The allow-lists and the admin list, read the same way for every platform.</summary>
public sealed class AccessPolicy(IOptions<ControlsOptions> options)
{
    public bool IsAllowed(ChatOrigin origin)
    {
        var o = options.Value;
        return Allowed(o.AllowedUsers, origin.Platform, origin.UserId)
            && Allowed(o.AllowedChats, origin.Platform, origin.ChatId)
            && (o.AllowedGuilds.Count == 0 || origin.GuildId is null || Allowed(o.AllowedGuilds, origin.Platform, origin.GuildId));
    }

    public bool IsAdmin(ChatOrigin origin) => Listed(options.Value.Admins, origin.Platform, origin.UserId);

    private static bool Allowed(List<string> list, string platform, string id) => list.Count == 0 || Listed(list, platform, id);

    private static bool Listed(List<string> list, string platform, string id) =>
        list.Any(entry => string.Equals(entry, $"{platform}:{id}", StringComparison.OrdinalIgnoreCase));
}
