using ChatBot.Core.Replicas;
using ChatBot.Core.Ai;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Commands;
using ChatBot.Core.Answering.Digest;
using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Corpus;
using ChatBot.Core.Diagnostics;
using ChatBot.Core.Digest;
using ChatBot.Core.Embeddings;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Retrieval.Pipeline;
using ChatBot.Core.Retrieval.Ranking;
using ChatBot.Core.Storage;
using ChatBot.Core.Text;
using ChatBot.Core.Understanding;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Extensions;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The platform-neutral bot: corpus pipeline, index, retrieval and answers, on the embedded default.</summary>
    public static IHostApplicationBuilder AddChatBotCore(this IHostApplicationBuilder builder)
    {
        var root = builder.Environment.ContentRootPath;
        var data = ContentRoot.DataDirectory(builder.Configuration, root);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddBotMetrics();

        builder.Services.AddValidatedOptions<CorpusOptions>(CorpusOptions.SectionName)
            .PostConfigure(o => o.Path = ContentRoot.ResolveCorpus(root, data, o.Path));
        builder.Services.AddValidatedOptions<StoreOptions>(StoreOptions.SectionName)
            .PostConfigure(o => o.Path = ContentRoot.Resolve(data, o.Path));
        builder.Services.AddValidatedOptions<ChunkingOptions>(ChunkingOptions.SectionName);
        builder.Services.AddValidatedOptions<RetrievalOptions>(RetrievalOptions.SectionName);
        builder.Services.AddValidatedOptions<FusionOptions>(FusionOptions.SectionName);
        builder.Services.AddValidatedOptions<AnswerOptions>(AnswerOptions.SectionName);
        builder.Services.AddValidatedOptions<AiOptions>(AiOptions.SectionName)
            .PostConfigure(o =>
            {
                o.PromptsPath = ContentRoot.Resolve(root, o.PromptsPath);
                if (!string.IsNullOrWhiteSpace(o.OnnxPath))
                    o.OnnxPath = ContentRoot.Resolve(root, o.OnnxPath);
            });
        builder.Services.AddValidatedOptions<DigestOptions>(DigestOptions.SectionName);
        builder.Services.AddValidatedOptions<Controls.ControlsOptions>(Controls.ControlsOptions.SectionName);
        builder.Services.AddValidatedOptions<Conversations.ConversationOptions>(Conversations.ConversationOptions.SectionName);
        builder.Services.AddValidatedOptions<Adapters.AdapterOptions>(Adapters.AdapterOptions.SectionName);

        builder.Services.AddCorpusPipeline().AddIndex().AddAnswering();
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

    /// <summary>Posts the daily digest to <c>ChatBot:Digest:Targets</c> while the host runs.</summary>
    public static IHostApplicationBuilder AddDigest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DigestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DigestService>());
        return builder;
    }

    /// <summary>Keeps the index current while the host runs (initial pass, file watcher, periodic rescan).</summary>
    public static IHostApplicationBuilder AddCorpusWatcher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CorpusWatcherService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CorpusWatcherService>());
        return builder;
    }

    private static IServiceCollection AddCorpusPipeline(this IServiceCollection services)
    {
        services.AddSingleton(TextAnalyzer.Shared);
        services.AddSingleton(BoilerplateCleaner.Default);
        services.AddSingleton<ArticleBuilder>();
        services.AddSingleton(sp => new Chunker(sp.GetRequiredService<IOptions<ChunkingOptions>>().Value));
        services.AddSingleton<IDocumentFormat, PlainTextFormat>();
        services.AddSingleton<IDocumentFormat, MarkdownFormat>();
        services.AddSingleton<IDocumentFormat, HtmlFormat>();
        services.AddSingleton<IDocumentFormat, JsonLinesFormat>();
        services.AddSingleton(sp => new CorpusReader(sp.GetServices<IDocumentFormat>(), sp.GetRequiredService<IOptions<CorpusOptions>>().Value));
        services.AddSingleton<CorpusIngester>();
        return services;
    }

    private static IServiceCollection AddIndex(this IServiceCollection services)
    {
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            new HashingEmbeddingGenerator(sp.GetRequiredService<TextAnalyzer>(), sp.GetRequiredService<IOptions<AiOptions>>().Value.HashingDimensions));
        services.AddSingleton<Inbox.DurableInbox>();
        services.TryAddSingleton<ILeadership, SoleLeadership>();
        services.AddSingleton<ArticleCatalog>();
        services.AddSingleton<IndexOpener>();
        // The first hosted service: every later one (watcher, digest, adapters, console) starts with the index open.
        services.AddHostedService<IndexOpenerService>();
        return services;
    }

    private static IServiceCollection AddAnswering(this IServiceCollection services)
    {
        services.AddSingleton(WordAnalysers.Shared);
        services.AddSingleton(FillerPhrases.Default);
        services.AddSingleton(EnglishLexicon.Default);
        services.TryAddSingleton(_ => FrenchSynonyms.Default);
        services.AddHostedService<FrenchSynonyms.WarmUpService>();
        services.AddSingleton<QueryBuilder>();
        services.AddSingleton<CitationChecker>();
        services.AddSingleton<EvidenceScorer>();
        services.AddSingleton<ChunkAnalysisCache>();
        services.TryAddSingleton(_ => LinearRanker.Default);
        // The retrieval pipeline: the stages run in this order.
        services.AddSingleton<IRetrievalStage, CandidateStage>();
        services.AddSingleton<IRetrievalStage, DateFilterStage>();
        services.AddSingleton<IRetrievalStage, FeatureStage>();
        services.AddSingleton<IRetrievalStage, RerankStage>();
        services.AddSingleton<IRetrievalStage, BoostStage>();
        services.AddSingleton<IRetrievalStage, ArticleCapStage>();
        services.AddSingleton<IRetrievalStage, WidenStage>();
        services.AddSingleton<Retriever>();
        services.AddSingleton<DeclinePolicy>();
        services.AddSingleton<OptionalLanguageModel>();
        services.AddSingleton<QuestionRewriter>();
        services.AddSingleton<ExtractiveAnswerGenerator>();
        services.TryAddSingleton<IAnswerGenerator>(sp => sp.GetRequiredService<ExtractiveAnswerGenerator>());
        services.AddSingleton<QuestionAnswerer>();
        services.AddSingleton<SentenceCentrality>();
        services.AddSingleton<Summarizer>();
        services.AddSingleton<Answering.Commands.Sources.SourcesCatalog>();
        services.TryAddSingleton<Ingestion.Sources.ISourceBoard, Ingestion.Sources.NoSources>();
        services.AddSingleton<DigestBuilder>();
        services.AddSingleton<Controls.AccessPolicy>();
        services.AddSingleton<Controls.QuotaLimiter>();
        services.AddSingleton<Controls.UsageStatistics>();
        services.AddSingleton<Controls.QuestionRecorder>();
        services.AddSingleton<Controls.FeedbackService>();
        services.AddSingleton<ICommandHandler, Answering.Commands.Ask.AskCommandHandler>();
        services.AddSingleton<ICommandHandler, Answering.Commands.Summary.SummaryCommandHandler>();
        services.AddSingleton<ICommandHandler, Answering.Commands.Sources.SourcesCommandHandler>();
        services.AddSingleton<ICommandHandler, Answering.Commands.Digest.DigestCommandHandler>();
        services.AddSingleton<ICommandHandler, Answering.Commands.Help.HelpCommandHandler>();
        services.AddSingleton<ICommandHandler, Answering.Commands.Admin.ReindexCommandHandler>();
        services.AddSingleton<ICommandHandler, Answering.Commands.Admin.StatsCommandHandler>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<Answering.ConversationRouter>();
        services.AddSingleton<Conversations.ConversationMemory>();
        return services;
    }

    private static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
