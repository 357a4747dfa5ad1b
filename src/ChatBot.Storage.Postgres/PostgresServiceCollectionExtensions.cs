using ChatBot.Core.Retrieval;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Core.Digest;
using ChatBot.Core.Foundation.Replicas;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Storage.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// With <c>ChatBot:Store:Provider = Postgres</c>, the index, digest ledger, conversations and feedback live in
    /// PostgreSQL and leadership among replicas is an advisory lock. Otherwise nothing changes (SQLite).
    /// </summary>
    public static IHostApplicationBuilder AddPostgresStore(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration[$"{StoreOptions.SectionName}:{nameof(StoreOptions.Provider)}"];
        if (!string.Equals(provider, "postgres", StringComparison.OrdinalIgnoreCase))
            return builder;
        var services = builder.Services;
        services.TryAddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<StoreOptions>>().Value));
        services.TryAddSingleton(sp => new PostgresIndexStore(
            sp.GetRequiredService<PostgresDatabase>(),
            sp.GetRequiredService<IOptions<StoreOptions>>().Value,
            sp.GetRequiredService<TextAnalyzer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<FusionOptions>>().Value.VectorsSearched(sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()),
            sp.GetRequiredService<ILogger<PostgresIndexStore>>()));
        services.Replace(ServiceDescriptor.Singleton<IIndexStore>(sp => sp.GetRequiredService<PostgresIndexStore>()));
        services.Replace(ServiceDescriptor.Singleton<IDigestLedger, PostgresDigestLedger>());
        services.Replace(ServiceDescriptor.Singleton<IConversationStore, PostgresConversationStore>());
        services.Replace(ServiceDescriptor.Singleton<IFeedbackStore, PostgresFeedbackStore>());
        services.Replace(ServiceDescriptor.Singleton<IQuestionLog, PostgresQuestionLog>());
        services.Replace(ServiceDescriptor.Singleton<ChatBot.Core.Conversation.Inbox.IInboxStore, PostgresInboxStore>());
        services.Replace(ServiceDescriptor.Singleton<ILeadership>(sp => new PostgresLeadership(
            sp.GetRequiredService<IOptions<StoreOptions>>().Value, sp.GetRequiredService<ILogger<PostgresLeadership>>())));
        return builder;
    }
}
