using System.Collections.Concurrent;
using ChatBot.Discord.Client.Model;
using ChatBot.Discord.Client.Rest;

namespace ChatBot.Discord.Bot;

/// <summary>
/// Which channels a thread can start in, read once per channel (<c>GET /channels/{id}</c>) and remembered. Discord
/// starts a thread from a message only in text (type 0) and announcement (type 5) channels; in a thread, a forum
/// post or a voice channel's chat it answers 400, so the bot replies in place there.
/// </summary>
public sealed class DiscordChannelTypes(DiscordRestClient rest)
{
    private readonly ConcurrentDictionary<string, int> _types = new();

    public async Task<bool> CanStartThreadInAsync(string channelId, CancellationToken cancellationToken)
    {
        if (!_types.TryGetValue(channelId, out var type))
        {
            try
            {
                type = (await rest.GetChannelAsync(channelId, cancellationToken)).Type;
            }
            catch (Exception ex) when (ex is DiscordApiException or System.Text.Json.JsonException)
            {
                return false; // unknown: replying in place is always allowed
            }
            _types[channelId] = type;
        }
        return type is ChannelType.GuildText or ChannelType.GuildAnnouncement;
    }
}
