using ChatBot.Core.Retrieval;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Ingestion.Embeddings;
using ChatBot.Core.Retrieval.Ranking;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Retrieval;

/// <summary>Retrieval as stages that can be seen, measured and replaced; the shipped reranker and its provenance.</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task Every_question_goes_through_the_stages_in_order_each_timed()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        var result = await bot.Retriever.RetrieveAsync("Quelles technologies militaires Moscou fournit-elle à Téhéran ?", null, TestContext.Current.CancellationToken);

        Assert.Equal(["understand", "weigh", "candidates", "date-filter", "features", "rerank", "boosts", "cap", "widen", "evidence"], result.StageTimings.Select(t => t.Stage));
        Assert.All(result.StageTimings, t => Assert.True(t.Ms >= 0 && t.Ms < 60_000));
        var first = result.Passages[0];
        Assert.Equal("004_d14a4ba0e42e9e1f", first.ArticleId);
        Assert.NotNull(first.Scores);
        Assert.True(first.Scores!.Lexical > 0);
        Assert.Equal(first.Score, first.Scores.Total, 6);
    }

    [Fact]
    public void The_shipped_reranker_was_trained_by_the_command_on_the_dev_set_with_cross_validation()
    {
        var model = LinearRanker.Default.Model;

        Assert.Equal(RankingFeatures.Names, model.Features);
        Assert.StartsWith("eval --train-ranker --questions piaf-dev-questions.json", model.Trained, StringComparison.Ordinal);
        Assert.Contains("cross-validation grouped by article title", model.Trained, StringComparison.Ordinal);
        Assert.Contains(model.Weights, w => w != 0);
    }

    [Fact]
    public void Vectors_from_the_hashing_embedder_weigh_nothing_unless_configured_and_a_model_weighs_one()
    {
        var hashing = new HashingEmbeddingGenerator(TextAnalyzer.Shared, 64);

        Assert.Equal(0, new FusionOptions().EffectiveVectorWeight(hashing));
        Assert.Equal(0.4, new FusionOptions { VectorWeight = 0.4 }.EffectiveVectorWeight(hashing));
        Assert.Equal(1, new FusionOptions().EffectiveVectorWeight(new ModelEmbedder()));
    }

    /// <summary>Any embedder that is not the hashing one: a model, as far as the default weight is concerned.</summary>
    private sealed class ModelEmbedder : Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>
    {
        public Task<Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("Only its type matters here.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
