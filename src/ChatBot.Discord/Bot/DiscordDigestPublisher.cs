using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Digest;
using ChatBot.Discord.Client.Rest;

namespace ChatBot.Discord.Bot;

/// <summary>Posts digests to Discord channels (<c>discord:&lt;channel id&gt;</c>).</summary>
public sealed class DiscordDigestPublisher(MessageSender sender) : IDigestPublisher
{
    public string Platform => "discord";

    public Task PublishAsync(string chatId, ChatReply digest, CancellationToken cancellationToken) =>
        sender.SendAsync(chatId, replyTo: null, DiscordReplyRenderer.Render(digest), cancellationToken);
}
