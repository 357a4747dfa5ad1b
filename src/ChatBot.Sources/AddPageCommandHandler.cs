using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Ingestion;
using ChatBot.Sources.Pages;

namespace ChatBot.Sources;

/// <summary><c>/add &lt;url&gt;</c> (admins): fetches one article page now, politely, and answers with its title and date.</summary>
public sealed class AddPageCommandHandler(SourceSync sync) : ICommandHandler
{
    public string Name => CommandRouter.Add;

    public bool AdminOnly => true;

    public bool Metered => false;

    public async Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken)
    {
        if (WebAddress.Parse(argument.Trim()) is not { } url)
            return ChatReply.Plain(BotMessages.Get("add.usage", language), language);
        var outcome = await sync.IngestPageAsync(url, null, cancellationToken);
        if (outcome.Problem is { } problem)
            return ChatReply.Plain(BotMessages.Get("add.failed", language, url.AbsoluteUri, problem), language);
        if (outcome.Ingest is not { } ingest)
            return ChatReply.Plain(BotMessages.Get("add.unchanged", language, url.AbsoluteUri, BotMessages.Get("date.unknown", language), url.Host), language);
        var article = ingest.Article;
        var key = ingest.Outcome switch
        {
            WebIngestOutcome.Added => "add.added",
            WebIngestOutcome.Updated => "add.updated",
            _ => "add.unchanged",
        };
        return ChatReply.Plain(BotMessages.Get(key, language, article.Title, ReplyFormatter.FormatDate(article.Published, language), article.Source ?? url.Host), language);
    }
}
