using ChatBot.Core.Ingestion.Embeddings;
using ChatBot.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Ingestion;

public sealed class IncrementalIngestionTests
{

    [Fact]
    public async Task First_pass_indexes_every_article_and_a_second_changes_nothing()
    {
        await using var bot = new TestBot();

        var first = await bot.SyncAsync();
        var second = await bot.SyncAsync();

        Assert.Equal((5, 5, 0, 0), (first.Files, first.Added, first.Updated, first.Removed));
        Assert.True(first.Chunks >= 10);
        Assert.Empty(first.Warnings);
        Assert.Equal((0, 0, 0, 5, 0), (second.Added, second.Updated, second.Removed, second.Unchanged, second.Chunks));
        var counts = await bot.Store.GetCountsAsync(Ct);
        Assert.Equal((5, first.Chunks), (counts.Articles, counts.Chunks));
    }

    [Fact]
    public async Task Changed_file_is_rechunked_and_reembedded_and_others_are_untouched()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var before = await bot.Store.GetArticleAsync("000_47b6786323e8e5c6", Ct);

        var path = bot.ArticlePath("002_4fced6dc993173a8.txt");
        File.AppendAllText(path, "\n\nLe porte-avions Amiral Kouznetsov a rejoint la flotte du Nord après six mois de réparations.\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var report = await bot.SyncAsync();

        Assert.Equal((0, 1, 0, 4), (report.Added, report.Updated, report.Removed, report.Unchanged));
        var chunks = await bot.Store.GetArticleChunksAsync("002_4fced6dc993173a8", Ct);
        Assert.Contains(chunks, c => c.Text.Contains("Amiral Kouznetsov", StringComparison.Ordinal));
        var reply = await bot.AskAsync("Quel porte-avions a rejoint la flotte du Nord ?");
        Assert.True(reply.Grounded);
        Assert.Equal("002_4fced6dc993173a8", reply.Citations[0].ArticleId);
        Assert.Equal(before, await bot.Store.GetArticleAsync("000_47b6786323e8e5c6", Ct));
    }

    [Fact]
    public async Task Deleted_file_removes_its_article_and_chunks()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        File.Delete(bot.ArticlePath("000_47b6786323e8e5c6.txt"));
        var report = await bot.SyncAsync();

        Assert.Equal(1, report.Removed);
        Assert.Null(await bot.Store.GetArticleAsync("000_47b6786323e8e5c6", Ct));
        Assert.Empty(await bot.Store.GetArticleChunksAsync("000_47b6786323e8e5c6", Ct));
        var reply = await bot.AskAsync("Dans quelle région de l'Iran se trouve Hamedan ?");
        Assert.DoesNotContain(reply.Citations, c => c.ArticleId == "000_47b6786323e8e5c6");
    }

    [Fact]
    public async Task Touched_but_identical_file_is_read_again_and_kept()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        File.SetLastWriteTimeUtc(bot.ArticlePath("001_fed1096211e3137f.txt"), DateTime.UtcNow.AddMinutes(5));
        var report = await bot.SyncAsync();

        Assert.Equal((0, 0, 0, 5), (report.Added, report.Updated, report.Removed, report.Unchanged));
    }

    [Fact]
    public async Task Another_embedder_triggers_a_full_reembed_never_a_mix()
    {
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Ai:HashingDimensions"] = "384";
        await bot.SyncAsync();

        bot.Settings["ChatBot:Ai:HashingDimensions"] = "256";
        await bot.RestartAsync();
        var report = await bot.SyncAsync();

        Assert.Equal(5, report.Updated);
        var chunks = await bot.Store.AllChunksAsync(Ct);
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Equal(256, chunk.Embedding.Length));
        var embedder = bot.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        Assert.Equal(256, Assert.IsType<HashingEmbeddingGenerator>(embedder).Dimensions);
    }

    [Fact]
    public async Task A_restart_reuses_the_index_without_reembedding()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        await bot.RestartAsync();
        var report = await bot.SyncAsync();

        Assert.Equal((0, 0, 5), (report.Added + report.Updated, report.Removed, report.Unchanged));
        Assert.True((await bot.Store.GetCountsAsync(Ct)).Chunks > 0);
    }
}
