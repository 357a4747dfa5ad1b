using System.Text;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Conversation.Commands.Help;

/// <summary><c>/help</c> (and what an unknown command gets): the commands and how to ask. Free of quota.</summary>
public sealed class HelpCommandHandler : ICommandHandler
{
    public string Name => BotCommands.Help;

    public bool Metered => false;

    public Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken) =>
        Task.FromResult(Help(language));

    public static ChatReply Help(Language language)
    {
        var text = new StringBuilder(BotMessages.Get("help.intro", language)).Append("\n\n");
        foreach (var command in BotCommands.All)
            text.Append('/').Append(command.Name).Append(command.TakesArgument ? " …" : "").Append(" — ").Append(command.Description(language)).Append('\n');
        text.Append('\n').Append(BotMessages.Get("help.usage", language));
        return ChatReply.Plain(text.ToString(), language);
    }
}
