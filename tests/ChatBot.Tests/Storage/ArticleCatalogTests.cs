using System.Collections.Concurrent;
using System.Reflection;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
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

    [Fact]
    public async Task A_dated_question_reads_the_dates_alone_and_never_waits_for_the_sorted_listing()
    {
        await using var bot = new TestBot(seedCorpus: false);
        var ct = TestContext.Current.CancellationToken;
        File.WriteAllLines(bot.ArticlePath("lot.jsonl"),
        [
            """{"id": "a", "title": "Titre a", "published": "2015-09-30", "text": "Le texte a parle de Moscou et de Téhéran."}""",
            """{"id": "b", "title": "Titre b", "published": "2024-06-13", "text": "Le texte b parle de Moscou et de Téhéran."}""",
            """{"id": "c", "title": "Titre c", "text": "Le texte c parle de Moscou et de Téhéran."}""",
        ]);
        await bot.SyncAsync();
        var calls = new ConcurrentDictionary<string, int>();
        using var catalog = new ArticleCatalog(CountingStore.Wrap(bot.Store, calls));

        var published = await catalog.PublishedAsync(ct);
        var years = await catalog.PublicationYearsAsync(ct);

        Assert.Equal(new DateOnly(2015, 9, 30), published["a"]);
        Assert.Null(published["c"]);
        Assert.Equal(["2015", "2024"], years.Order());
        Assert.Equal(1, calls.GetValueOrDefault(nameof(IIndexStore.GetPublishedDatesAsync)));
        Assert.Equal(0, calls.GetValueOrDefault(nameof(IIndexStore.ListArticlesAsync)));

        // Once the index changed and the listing was read, the dates come from it: no second read.
        var changes = new IndexChanges();
        changes.DeletedArticleIds.Add("b");
        await bot.Store.ApplyAsync(changes, ct);
        Assert.Equal(["a", "c"], (await catalog.ListAsync(ct)).Select(a => a.Id).Order());
        Assert.Equal(["a", "c"], (await catalog.PublishedAsync(ct)).Keys.Order());
        Assert.Equal(1, calls.GetValueOrDefault(nameof(IIndexStore.GetPublishedDatesAsync)));
        Assert.Equal(1, calls.GetValueOrDefault(nameof(IIndexStore.ListArticlesAsync)));
    }

    /// <summary>The store, counting the calls made to it by method name.</summary>
    public class CountingStore : DispatchProxy
    {
        private IIndexStore _inner = null!;
        private ConcurrentDictionary<string, int> _calls = null!;

        public static IIndexStore Wrap(IIndexStore inner, ConcurrentDictionary<string, int> calls)
        {
            var proxy = Create<IIndexStore, CountingStore>();
            var counting = (CountingStore)(object)proxy;
            (counting._inner, counting._calls) = (inner, calls);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            _calls.AddOrUpdate(targetMethod!.Name, 1, (_, n) => n + 1);
            try { return targetMethod.Invoke(_inner, args); }
            catch (TargetInvocationException ex) when (ex.InnerException is not null) { throw ex.InnerException; }
        }
    }
}
