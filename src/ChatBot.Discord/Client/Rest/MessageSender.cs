using ChatBot.Discord.Client.Model;

namespace ChatBot.Discord.Client.Rest;

/// <summary>Posts a reply's parts to a channel in order: answers, digests and apologies all leave through here.</summary>
public sealed class MessageSender(DiscordRestClient rest)
{
    /// <summary>Posts the parts in order, the first as a reply to <paramref name="replyTo"/> when given; the ids of the messages created.</summary>
    public async Task<List<string>> SendAsync(string channelId, string? replyTo, IReadOnlyList<MessagePayload> messages, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var message in messages)
        {
            var part = ids.Count == 0 && replyTo is not null ? message with { MessageReference = new MessageReference(replyTo) } : message;
            ids.Add((await rest.CreateMessageAsync(channelId, part, cancellationToken)).Id);
        }
        return ids;
    }
}
