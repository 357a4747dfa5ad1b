using System.Collections.Concurrent;
using System.Text.Json;
using ChatBot.Discord.Client.Rest;

namespace ChatBot.Discord.Bot;

/// <summary>
/// Which channels a thread can start in, read once per channel (<c>GET /channels/{id}</c>) and remembered. Discord
/// starts a thread from a message only in text (type 0) and announcement (type 5) channels; in a thread, a forum
/// post or a voice channel's chat it answers 400, so the bot replies in place there.
/// </summary>
public sealed class DiscordChannelTypes(DiscordRestClient rest)
{
    public const int GuildText = 0;
    public const int GuildAnnouncement = 5;

    private readonly ConcurrentDictionary<string, int> _types = new();

    public async Task<bool> CanStartThreadInAsync(string channelId, CancellationToken cancellationToken)
    {
        if (!_types.TryGetValue(channelId, out var type))
        {
            try
            {
                var channel = await rest.GetChannelAsync(channelId, cancellationToken);
                type = channel.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : -1;
            }
            catch (DiscordApiException)
            {
                return false; // unknown: replying in place is always allowed
            }
            _types[channelId] = type;
        }
        return type is GuildText or GuildAnnouncement;
    }
}
