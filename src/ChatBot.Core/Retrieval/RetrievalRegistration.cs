using ChatBot.Core.Foundation;
using ChatBot.Core.Foundation.Hosting;
using ChatBot.Core.Retrieval.Pipeline;
using ChatBot.Core.Retrieval.Ranking;
using ChatBot.Core.Retrieval.Understanding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Core.Retrieval;

/// <summary>The third stage: reading the question (understanding), the retrieval pipeline, ranking, evidence and the decline policy.</summary>
public static class RetrievalRegistration
{
    public static IHostApplicationBuilder AddRetrieval(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RetrievalOptions>(RetrievalOptions.SectionName);
        services.AddValidatedOptions<FusionOptions>(FusionOptions.SectionName);
        services.AddSingleton(FillerPhrases.Default);
        services.AddSingleton(EnglishLexicon.Default);
        services.TryAddSingleton(_ => FrenchSynonyms.Default);
        services.AddSingleton<IStartupWarmUp, FrenchSynonyms.ReadAhead>();
        services.AddSingleton<QueryBuilder>();
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
        return builder;
    }
}
