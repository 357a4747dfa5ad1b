using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Conversation.Commands.Summary;

/// <summary><c>/summary</c>: an article (by id or title words) or a topic, summarised.</summary>
public sealed class SummaryCommandHandler(Summarizer summarizer) : ICommandHandler
{
    public string Name => BotCommands.Summary;

    public Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken) =>
        summarizer.SummarizeAsync(argument, language, cancellationToken);
}
