using ChatBot.Core.Indexing;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Tests.Support;

/// <summary>
/// Test shortcuts over the store's one write path (<see cref="IArticleStore.ApplyAsync"/>) and its one search path
/// (<see cref="IIndexStore.Lexical"/>, <see cref="IIndexStore.NearestAsync"/>, <see cref="IIndexStore.GetChunksAsync"/>).
/// </summary>
public static class IndexStoreTestExtensions
{
    /// <summary>Stores these chunks, each article (by <see cref="ChunkRecord.ArticleId"/>) replaced by its chunks here.</summary>
    public static async Task PutChunksAsync(this IIndexStore store, IEnumerable<ChunkRecord> chunks, CancellationToken cancellationToken)
    {
        var changes = new IndexChanges();
        foreach (var article in chunks.GroupBy(c => c.ArticleId))
        {
            var text = string.Join(' ', article.Select(c => c.Text));
            changes.Updates.Add(new ArticleUpdate(
                new Article(article.Key, article.First().Title, null, null, null, article.Key + ".txt", text, "hash-" + article.Key + "-" + text.Length),
                article.ToList()));
        }
        await store.ApplyAsync(changes, cancellationToken);
    }

    public static Task PutChunksAsync(this IIndexStore store, ChunkRecord chunk, CancellationToken cancellationToken) =>
        store.PutChunksAsync([chunk], cancellationToken);

    public static async Task DeleteArticleAsync(this IIndexStore store, string articleId, CancellationToken cancellationToken)
    {
        var changes = new IndexChanges();
        changes.DeletedArticleIds.Add(articleId);
        await store.ApplyAsync(changes, cancellationToken);
    }

    /// <summary>The keys of the <paramref name="top"/> chunks nearest to <paramref name="vector"/>, with their cosine.</summary>
    public static async Task<List<(string Key, float Score)>> NearestKeysAsync(this IIndexStore store, float[] vector, int top, CancellationToken cancellationToken)
    {
        var hits = await store.NearestAsync(vector, top, cancellationToken);
        var records = await store.GetChunksAsync(hits.Select(h => h.Id).ToList(), cancellationToken);
        return hits.Where(h => records.ContainsKey(h.Id)).Select(h => (records[h.Id].Key, h.Score)).ToList();
    }

    /// <summary>The keys of the <paramref name="top"/> chunks the lexical index ranks first for <paramref name="text"/>.</summary>
    public static async Task<List<string>> KeywordKeysAsync(this IIndexStore store, string text, int top, CancellationToken cancellationToken)
    {
        var hits = store.Lexical.Search(LexicalQuery.FromText(text, store.Lexical.Analysers), top);
        var records = await store.GetChunksAsync(hits.Select(h => h.Id).ToList(), cancellationToken);
        return hits.Where(h => records.ContainsKey(h.Id)).Select(h => records[h.Id].Key).ToList();
    }

    /// <summary>Every chunk of the index, vectors included.</summary>
    public static async Task<List<ChunkRecord>> AllChunksAsync(this IIndexStore store, CancellationToken cancellationToken)
    {
        var chunks = new List<ChunkRecord>();
        foreach (var article in await store.ListArticlesAsync(cancellationToken))
            chunks.AddRange(await store.ExportArticleChunksAsync(article.Id, cancellationToken));
        return chunks;
    }
}
