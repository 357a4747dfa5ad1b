using ChatBot.Core.Answering.Commands;
using ChatBot.Core.Text;
using ChatBot.Telegram.Sending;
using ChatBot.Telegram.Updates;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatBot.Telegram.Polling;

/// <summary>What the adapter does once on start: learn who it is, choose polling or webhook, publish its commands.</summary>
public sealed class TelegramStartup(ITelegramBotClient bot, TelegramSender sender, TelegramBotIdentity identity)
{
    /// <summary>What the bot listens to, in both modes: messages and presses on its buttons.</summary>
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery];

    public async Task<User> RunAsync(TelegramOptions options, CancellationToken cancellationToken)
    {
        var me = await sender.WithRetriesAsync(ct => bot.GetMe(ct), cancellationToken);
        identity.Set(me);
        if (options.UsesWebhook)
        {
            await sender.WithRetriesAsync(async ct =>
            {
                await bot.SetWebhook(options.WebhookUrl!, secretToken: options.WebhookSecret, allowedUpdates: AllowedUpdates, cancellationToken: ct);
                return true;
            }, cancellationToken);
        }
        else
        {
            // Polling and a webhook exclude each other: getUpdates answers 409 while a webhook is set.
            await sender.WithRetriesAsync(async ct =>
            {
                await bot.DeleteWebhook(cancellationToken: ct);
                return true;
            }, cancellationToken);
        }
        await PublishCommandsAsync(cancellationToken);
        return me;
    }

    /// <summary>French descriptions by default, English ones for users whose Telegram is in English.</summary>
    private async Task PublishCommandsAsync(CancellationToken cancellationToken)
    {
        foreach (var (language, code) in new[] { (Language.French, (string?)null), (Language.English, "en") })
        {
            var commands = BotCommands.All.Select(c => new BotCommand { Command = c.Name, Description = c.Description(language) }).ToList();
            await sender.WithRetriesAsync(async ct =>
            {
                await bot.SetMyCommands(commands, languageCode: code, cancellationToken: ct);
                return true;
            }, cancellationToken);
        }
    }
}
