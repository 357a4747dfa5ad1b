using ChatBot.Core.Indexing;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Storage;

/// <summary>The article listing held in memory for every dated question, the digest and the summaries.</summary>
public sealed class ArticleCatalogTests
{
    [Fact]
    public async Task The_listing_keeps_a_shared_path_and_source_once_and_no_content_hash()
    {
        await using var bot = new TestBot(seedCorpus: false);
        File.WriteAllLines(bot.ArticlePath("lot.jsonl"), Enumerable.Range(1, 30).Select(i =>
            $$"""{"id": "a{{i}}", "title": "Article {{i}}", "source": "Le Monde", "text": "Le texte numéro {{i}} parle de Moscou et de Téhéran."}"""));
        await bot.SyncAsync();

        var listed = await bot.Services.GetRequiredService<ArticleCatalog>().ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(30, listed.Count);
        Assert.All(listed, a => Assert.Same(listed[0].Path, a.Path));
        Assert.All(listed, a => Assert.Same(listed[0].Source, a.Source));
        Assert.All(listed, a => Assert.Equal("", a.ContentHash));
        // The store's own listing still carries the hashes the index copier compares.
        Assert.All(await bot.Store.ListArticlesAsync(TestContext.Current.CancellationToken), a => Assert.NotEmpty(a.ContentHash));
    }
}
