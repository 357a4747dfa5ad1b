using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Conversation.Memory;

namespace ChatBot.Core.Conversation;

/// <summary>A command's reply with what the conversation needs once the platform has sent it.</summary>
public sealed class ConversationReply(ChatReply reply, string command, string question, IReadOnlyList<ChatTurn> history, ConversationMemory memory, ChatOrigin origin)
{
    public ChatReply Reply { get; } = reply;

    /// <summary>The reply answers a question (it gets 👍/👎 and joins the conversation).</summary>
    public bool IsAnswer => command == BotCommands.Ask;

    /// <summary>
    /// Records the exchange under the messages the platform created for it (in <paramref name="chatId"/>: the chat, or
    /// the thread the answer went to), so that a reply to any of them continues this conversation.
    /// </summary>
    public Task RememberAsync(string chatId, IEnumerable<string> sentMessageIds, CancellationToken cancellationToken) =>
        IsAnswer
            ? memory.RememberAsync(origin.Platform, chatId, sentMessageIds, history, new ChatTurn(question, Reply.Text) { Citations = Reply.Citations.Select(c => c.ArticleId).ToList() }, cancellationToken)
            : Task.CompletedTask;
}

/// <summary>
/// Commands in their conversation, for every platform: the history of the bot message a user replied to is read before
/// the command runs, and the exchange is written after the platform sent the reply. Adapters only say which message
/// was replied to and which messages they sent.
/// </summary>
public sealed class ConversationRouter(CommandRouter router, ConversationMemory memory, Microsoft.Extensions.Options.IOptions<AnswerOptions> answers)
{
    /// <param name="repliedToBotMessageId">The bot's message the user replied to, when they did: its conversation continues.</param>
    public async Task<ConversationReply?> HandleAsync(string command, string argument, CommandContext context, string? repliedToBotMessageId, CancellationToken cancellationToken)
    {
        var history = repliedToBotMessageId is null ? [] : await memory.HistoryOfAsync(context.Origin.Platform, context.Origin.ChatId, repliedToBotMessageId, cancellationToken);
        var reply = await router.HandleAsync(command, argument, context with { History = history }, cancellationToken);
        // Remembered as it was answered: a huge message is not stored whole.
        return reply is null ? null : new ConversationReply(reply, command, answers.Value.Cut(argument), history, memory, context.Origin);
    }
}
