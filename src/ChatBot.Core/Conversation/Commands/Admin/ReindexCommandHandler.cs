using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;

namespace ChatBot.Core.Conversation.Commands.Admin;

/// <summary><c>/reindex</c> (admins): re-reads the corpus now and reports the counts.</summary>
public sealed class ReindexCommandHandler(CorpusIngester ingester, IIndexStore store) : ICommandHandler
{
    public const string Command = "reindex";

    public string Name => Command;

    public bool AdminOnly => true;

    public bool Metered => false;

    public async Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken)
    {
        var report = await ingester.SyncAsync(null, cancellationToken);
        var counts = await store.GetCountsAsync(cancellationToken);
        return ChatReply.Plain(BotMessages.Get("admin.reindex", language, report.Added, report.Updated, report.Removed, report.Unchanged, counts.Articles, counts.Chunks), language);
    }
}
