using ChatBot.Core.Retrieval;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Core.Digest;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Storage.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// The embedded default: the index, digest ledger, conversations, feedback, inbox and question log in one SQLite
    /// file (<c>ChatBot:Store:Path</c>). Registered only where nothing else is: a store added before it wins.
    /// </summary>
    public static IHostApplicationBuilder AddSqliteStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(sp => new SqliteDatabase(
            sp.GetRequiredService<IOptions<StoreOptions>>().Value.Path,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<StoreOptions>>().Value.Exclusive));
        services.TryAddSingleton(sp => new SqliteIndexStore(
            sp.GetRequiredService<SqliteDatabase>(),
            sp.GetRequiredService<TextAnalyzer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<FusionOptions>>().Value.VectorsSearched(sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()),
            sp.GetRequiredService<ILogger<SqliteIndexStore>>()));
        services.TryAddSingleton<IIndexStore>(sp => sp.GetRequiredService<SqliteIndexStore>());
        services.TryAddSingleton<IDigestLedger, SqliteDigestLedger>();
        services.TryAddSingleton<IConversationStore, SqliteConversationStore>();
        services.TryAddSingleton<IFeedbackStore, SqliteFeedbackStore>();
        services.TryAddSingleton<IQuestionLog, SqliteQuestionLog>();
        services.TryAddSingleton<IInboxStore, SqliteInboxStore>();
        return builder;
    }
}
