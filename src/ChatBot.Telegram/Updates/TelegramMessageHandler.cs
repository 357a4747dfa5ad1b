using System.Globalization;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Foundation.Text;
using ChatBot.Telegram.Sending;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace ChatBot.Telegram.Updates;

/// <summary>
/// Decides whether a message is for the bot and turns it into a core command: every message in a private chat; in
/// groups, commands, @mentions and replies to the bot's own messages. A reply to the bot continues that conversation.
/// </summary>
public sealed class TelegramMessageHandler(
    ConversationRouter conversations,
    TelegramSender sender,
    TelegramBotIdentity identity,
    FeedbackService feedback,
    ITelegramBotClient bot,
    ILogger<TelegramMessageHandler> logger)
{
    private static readonly InlineKeyboardMarkup FeedbackButtons = new(
    [
        [InlineKeyboardButton.WithCallbackData("👍", FeedbackService.Up), InlineKeyboardButton.WithCallbackData("👎", FeedbackService.Down)],
    ]);

    /// <summary>
    /// Answers a button press at once (Telegram calls a query "too old" after a few seconds): the thanks for a vote,
    /// nothing for anything else. One attempt, never queued; a failure is only logged.
    /// </summary>
    public async Task AcknowledgeCallbackAsync(CallbackQuery callback)
    {
        try
        {
            var text = FeedbackService.IsFeedback(callback.Data) ? BotMessages.Get("feedback.thanks", TelegramLanguage.Of(callback.From)) : null;
            await bot.AnswerCallbackQuery(callback.Id, text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CallbackNotAnswered(logger, ex.Message);
        }
    }

    /// <summary>A press on 👍/👎 under an answer, recorded after it was acknowledged: one vote per user per answer, a second press changes it.</summary>
    public async Task RecordVoteAsync(CallbackQuery callback, CancellationToken cancellationToken)
    {
        if (callback.Message is not { } message || !FeedbackService.IsFeedback(callback.Data))
            return;
        var origin = new ChatOrigin(Platform, message.Chat.Id.ToString(CultureInfo.InvariantCulture), callback.From.Id.ToString(CultureInfo.InvariantCulture));
        await feedback.VoteAsync(origin, message.Id.ToString(CultureInfo.InvariantCulture), callback.Data!, cancellationToken);
    }

    /// <summary>
    /// The thread to answer in: a forum topic's, and nothing else. An ordinary supergroup message can carry the thread
    /// id of a reply chain, and sending with it gets 400 "message thread not found".
    /// </summary>
    public static int? ThreadOf(Message message) => message.IsTopicMessage ? message.MessageThreadId : null;

    public const string Platform = "telegram";

    /// <summary>Room left under Telegram's 4,096 characters for markup when a listing is paginated.</summary>
    private const int ListingChars = 3500;

    /// <summary>A message for the bot, read: the command it makes, where it came from, and the bot message it replies to.</summary>
    public sealed record Request(Message Message, TelegramCommand Command, CommandContext Context, string? RepliedTo);

    /// <summary>The bot's identity, once the adapter has started: a message can be read before it is queued.</summary>
    public bool Ready => identity.UserAsync.IsCompletedSuccessfully;

    public async Task HandleAsync(Message message, CancellationToken cancellationToken)
    {
        if (await ReadAsync(message, cancellationToken) is { } request)
            await HandleAsync(request, cancellationToken);
    }

    /// <summary>Whether the message is for the bot, and as which command; null for anything the bot ignores.</summary>
    public async Task<Request?> ReadAsync(Message message, CancellationToken cancellationToken)
    {
        if (message.Text is not { } text || message.From is not { IsBot: false } from)
            return null; // stickers, photos, service messages, other bots
        var bot = await identity.UserAsync.WaitAsync(cancellationToken);
        var isPrivate = message.Chat.Type == ChatType.Private;
        var repliesToBot = message.ReplyToMessage?.From?.Id == bot.Id;

        var command = TelegramCommand.Parse(message, bot.Username ?? "", out var forOtherBot);
        if (forOtherBot)
            return null;
        if (command is null)
        {
            if (!isPrivate && !repliesToBot && !TelegramCommand.Mentions(message, bot))
                return null; // group chatter not addressed to the bot
            command = new TelegramCommand(BotCommands.Ask, TelegramCommand.WithoutMention(text, bot));
        }
        if (command.Name == "start")
            command = command with { Name = BotCommands.Help };
        if (!isPrivate && BotCommands.All.All(c => c.Name != command.Name) && !CommandRouter.AdminCommands.Contains(command.Name) && !text.Contains('@', StringComparison.Ordinal))
            return null; // an unknown command in a group is probably another bot's

        var chatId = message.Chat.Id.ToString(CultureInfo.InvariantCulture);
        var thread = ThreadOf(message);
        var origin = new ChatOrigin(Platform, chatId, from.Id.ToString(CultureInfo.InvariantCulture), thread?.ToString(CultureInfo.InvariantCulture));
        var context = new CommandContext(origin, ListingChars, LanguageFor(command, from));
        var repliedTo = repliesToBot ? message.ReplyToMessage!.Id.ToString(CultureInfo.InvariantCulture) : null;
        return new Request(message, command, context, repliedTo);
    }

    public async Task HandleAsync(Request request, CancellationToken cancellationToken)
    {
        var (message, command, context, repliedTo) = request;
        var thread = ThreadOf(message);
        ConversationReply? reply;
        await using (sender.Typing(message.Chat, thread))
            reply = await conversations.HandleAsync(command.Name, command.Argument, context, repliedTo, cancellationToken);
        if (reply is null)
            return; // not allowed here: say nothing

        var buttons = reply.IsAnswer ? FeedbackButtons : null; // declines too: "it should have answered" is feedback
        var sent = await sender.SendAsync(message.Chat, TelegramHtml.Render(reply.Reply), message.Id, thread, cancellationToken, buttons);
        await reply.RememberAsync(context.Origin.ChatId, sent.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)), cancellationToken);
    }

    /// <summary>Sends a reply that is no answer (the quota notice), under the message it refuses.</summary>
    public Task SendAsync(Request request, ChatReply reply, CancellationToken cancellationToken) =>
        sender.SendAsync(request.Message.Chat, TelegramHtml.Render(reply), request.Message.Id, ThreadOf(request.Message), cancellationToken);

    /// <summary>Questions are answered in their own language; replies without a question follow the user's Telegram language.</summary>
    private static Language? LanguageFor(TelegramCommand command, User from)
    {
        if (command.Argument.Length > 0 && command.Name is BotCommands.Ask or BotCommands.Summary)
            return null;
        return TelegramLanguage.Of(from);
    }
}
