using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;

namespace ChatBot.Core.Conversation.Commands.Admin;

/// <summary><c>/stats</c> (admins): the index, today's questions, the votes and the answers to review.</summary>
public sealed class StatsCommandHandler(IIndexStore store, QuestionRecorder questions, FeedbackService feedback, ConversationMemory conversations) : ICommandHandler
{
    public const string Command = "stats";

    public string Name => Command;

    public bool AdminOnly => true;

    public bool Metered => false;

    public async Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken)
    {
        var index = await store.GetCountsAsync(cancellationToken);
        var today = questions.Usage.Today();
        var votes = await feedback.RatioAsync(cancellationToken);
        var stale = await conversations.StaleAnswersAsync(store, cancellationToken);
        return ChatReply.Plain(BotMessages.Get("admin.stats", language, index.Articles, index.Chunks, today.Questions, today.DeclinedShare, today.P50Ms, today.P95Ms, votes.Positive, votes.Votes, stale), language);
    }
}
