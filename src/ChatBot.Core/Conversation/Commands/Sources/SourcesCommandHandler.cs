using System.Globalization;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Conversation.Commands.Sources;

/// <summary><c>/sources [page]</c>: the catalogue, a page at a time, sized to the platform's message.</summary>
public sealed class SourcesCommandHandler(SourcesCatalog sources) : ICommandHandler
{
    public string Name => BotCommands.Sources;

    public Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken)
    {
        var page = int.TryParse(argument.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 1;
        return sources.PageAsync(page, context.MaxMessageChars, language, cancellationToken);
    }
}
