using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Conversation.Commands.Ask;

/// <summary><c>/ask</c>, a mention, a reply, a DM: the question answered from the corpus, and noted for /stats and the console.</summary>
public sealed class AskCommandHandler(QuestionAnswerer answerer, QuestionRecorder questions, Microsoft.Extensions.Options.IOptions<AnswerOptions> options) : ICommandHandler
{
    public string Name => BotCommands.Ask;

    public async Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken)
    {
        var reply = await answerer.AnswerAsync(new ChatRequest(argument) { History = context.History, Origin = context.Origin, Language = context.Language }, cancellationToken);
        await questions.RecordAsync(context.Origin, options.Value.Cut(argument), reply, cancellationToken); // logged as answered, never whole
        return reply;
    }
}
