using ChatBot.Core.Chat;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Storage;
using ChatBot.Core.Text;

namespace ChatBot.Core.Answering.Commands.Admin;

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
