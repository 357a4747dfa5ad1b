using ChatBot.Core.Foundation;
using ChatBot.Core.Foundation.Ai;
using ChatBot.Core.Foundation.Hosting;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Core.Ingestion.Embeddings;
using ChatBot.Core.Ingestion.Sources;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Ingestion;

/// <summary>The first stage: reading the corpus (formats, cleaner, chunker), embedding the chunks, the ingester.</summary>
public static class IngestionRegistration
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var root = builder.Environment.ContentRootPath;
        var data = ContentRoot.DataDirectory(builder.Configuration, root);
        var services = builder.Services;
        services.AddValidatedOptions<CorpusOptions>(CorpusOptions.SectionName)
            .PostConfigure(o => o.Path = ContentRoot.ResolveCorpus(root, data, o.Path));
        services.AddValidatedOptions<ChunkingOptions>(ChunkingOptions.SectionName);
        services.AddSingleton(BoilerplateCleaner.Default);
        services.AddSingleton<ArticleBuilder>();
        services.AddSingleton(sp => new Chunker(sp.GetRequiredService<IOptions<ChunkingOptions>>().Value));
        services.AddSingleton<IDocumentFormat, PlainTextFormat>();
        services.AddSingleton<IDocumentFormat, MarkdownFormat>();
        services.AddSingleton<IDocumentFormat, HtmlFormat>();
        services.AddSingleton<IDocumentFormat, JsonLinesFormat>();
        services.AddSingleton(sp => new CorpusReader(sp.GetServices<IDocumentFormat>(), sp.GetRequiredService<IOptions<CorpusOptions>>().Value));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            new HashingEmbeddingGenerator(sp.GetRequiredService<TextAnalyzer>(), sp.GetRequiredService<IOptions<AiOptions>>().Value.HashingDimensions));
        services.AddSingleton<CorpusIngester>();
        services.TryAddSingleton<ISourceBoard, NoSources>();
        return builder;
    }

    /// <summary>Keeps the index current while the host runs (initial pass, file watcher, periodic rescan).</summary>
    public static IHostApplicationBuilder AddCorpusWatcher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CorpusWatcherService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CorpusWatcherService>());
        return builder;
    }
}
