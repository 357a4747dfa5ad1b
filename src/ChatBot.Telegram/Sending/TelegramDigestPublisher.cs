using System.Globalization;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Digest;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatBot.Telegram.Sending;

/// <summary>Posts digests to Telegram chats (<c>telegram:&lt;chat id&gt;</c>; group and channel ids are negative).</summary>
public sealed class TelegramDigestPublisher(TelegramSender sender) : IDigestPublisher
{
    public string Platform => "telegram";

    public async Task PublishAsync(string chatId, ChatReply digest, CancellationToken cancellationToken)
    {
        var id = long.Parse(chatId, CultureInfo.InvariantCulture);
        var chat = new Chat { Id = id, Type = id < 0 ? ChatType.Supergroup : ChatType.Private };
        await sender.SendAsync(chat, TelegramHtml.Render(digest), replyTo: null, threadId: null, cancellationToken);
    }
}
