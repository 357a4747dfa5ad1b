using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatBot.Telegram.Updates;

/// <summary>What a message asks of the bot, read from its entities: a command (<c>/ask@Bot …</c>) or a mention.</summary>
public sealed record TelegramCommand(string Name, string Argument)
{
    /// <summary>
    /// The command the message starts with, if it is for this bot (no <c>@suffix</c>, or this bot's name);
    /// <paramref name="forOtherBot"/> is set when it names another bot.
    /// </summary>
    public static TelegramCommand? Parse(Message message, string botUsername, out bool forOtherBot)
    {
        forOtherBot = false;
        var text = message.Text ?? "";
        var entity = message.Entities?.FirstOrDefault(e => e.Type == MessageEntityType.BotCommand && e.Offset == 0);
        if (entity is null)
            return null;
        var token = text.Substring(1, entity.Length - 1);
        var at = token.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!string.Equals(token[(at + 1)..], botUsername, StringComparison.OrdinalIgnoreCase))
            {
                forOtherBot = true;
                return null;
            }
            token = token[..at];
        }
        return new TelegramCommand(token.ToLowerInvariant(), text[entity.Length..].Trim());
    }

    /// <summary>Whether the message mentions the bot, by @username or by a text mention of its user.</summary>
    public static bool Mentions(Message message, User bot) =>
        message.Entities?.Any(e =>
            (e.Type == MessageEntityType.Mention && string.Equals(message.Text?.Substring(e.Offset, e.Length), "@" + bot.Username, StringComparison.OrdinalIgnoreCase))
            || (e.Type == MessageEntityType.TextMention && e.User?.Id == bot.Id)) ?? false;

    /// <summary>The message text without the bot's @mention.</summary>
    public static string WithoutMention(string text, User bot) =>
        text.Replace("@" + bot.Username, "", StringComparison.OrdinalIgnoreCase).Trim();
}
