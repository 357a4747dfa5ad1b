using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Foundation.Text;
using ChatBot.Telegram.Updates;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatBot.Telegram.Polling;

/// <summary>
/// What the adapter does once on start: learn who it is, choose polling or webhook, publish its commands. One attempt
/// each: a failure goes to the adapter's supervisor, which retries the whole start-up with backoff.
/// </summary>
public sealed class TelegramStartup(ITelegramBotClient bot, TelegramBotIdentity identity)
{
    /// <summary>What the bot listens to, in both modes: messages and presses on its buttons.</summary>
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery];

    public async Task<User> RunAsync(TelegramOptions options, CancellationToken cancellationToken)
    {
        var me = await bot.GetMe(cancellationToken);
        if (options.UsesWebhook)
            await bot.SetWebhook(options.WebhookUrl!, secretToken: options.WebhookSecret, allowedUpdates: AllowedUpdates, cancellationToken: cancellationToken);
        else
            await bot.DeleteWebhook(cancellationToken: cancellationToken); // polling and a webhook exclude each other: getUpdates answers 409 while one is set
        await PublishCommandsAsync(cancellationToken);
        identity.Set(me);
        return me;
    }

    /// <summary>French descriptions by default, English ones for users whose Telegram is in English.</summary>
    private async Task PublishCommandsAsync(CancellationToken cancellationToken)
    {
        foreach (var (language, code) in new[] { (Language.French, (string?)null), (Language.English, "en") })
        {
            var commands = BotCommands.All.Select(c => new BotCommand { Command = c.Name, Description = c.Description(language) }).ToList();
            await bot.SetMyCommands(commands, languageCode: code, cancellationToken: cancellationToken);
        }
    }
}
