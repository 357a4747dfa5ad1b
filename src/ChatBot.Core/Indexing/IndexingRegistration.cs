using ChatBot.Core.Foundation;
using ChatBot.Core.Foundation.Hosting;
using ChatBot.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Core.Indexing;

/// <summary>
/// The second stage: the index store's settings, the article catalogue, and the opener that opens the index before any
/// other hosted service starts. The store itself comes from a storage project (SQLite, PostgreSQL); ingestion writes
/// to it as its <see cref="IArticleStore"/>.
/// </summary>
public static class IndexingRegistration
{
    public static IHostApplicationBuilder AddIndexing(this IHostApplicationBuilder builder)
    {
        var data = ContentRoot.DataDirectory(builder.Configuration, builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.AddValidatedOptions<StoreOptions>(StoreOptions.SectionName)
            .PostConfigure(o => o.Path = ContentRoot.Resolve(data, o.Path));
        services.AddSingleton<IArticleStore>(sp => sp.GetRequiredService<IIndexStore>());
        services.AddSingleton<ArticleCatalog>();
        services.AddSingleton<IndexOpener>();
        // The first hosted service: every later one (watcher, digest, adapters, console) starts with the index open.
        services.AddHostedService<IndexOpenerService>();
        return builder;
    }

    /// <summary>
    /// For the verbs that must act on the index before it is opened (<c>index --rebuild</c> deletes the file,
    /// <c>migrate</c> opens two stores of its own): the host starts without opening it, and the verb calls
    /// <see cref="IndexOpener.OpenAsync"/> itself where it needs the configured index.
    /// </summary>
    public static IHostApplicationBuilder WithoutIndexAtStartup(this IHostApplicationBuilder builder)
    {
        var descriptor = builder.Services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(IndexOpenerService));
        if (descriptor is not null)
            builder.Services.Remove(descriptor);
        return builder;
    }
}
