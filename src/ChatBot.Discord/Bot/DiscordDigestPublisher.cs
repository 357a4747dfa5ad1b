using ChatBot.Core.Answering;
using ChatBot.Core.Digest;
using ChatBot.Core.Chat;

namespace ChatBot.Discord.Bot;

/// <summary>Posts digests to Discord channels (<c>discord:&lt;channel id&gt;</c>).</summary>
public sealed class DiscordDigestPublisher(DiscordMessageHandler messages) : IDigestPublisher
{
    public string Platform => "discord";

    public Task PublishAsync(string chatId, ChatReply digest, CancellationToken cancellationToken) =>
        messages.SendAsync(chatId, replyTo: null, DiscordReplyRenderer.Render(digest), cancellationToken);
}
