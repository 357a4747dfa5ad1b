using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Storage.Postgres;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Storage;

/// <summary>
/// A PostgreSQL replica that holds every chunk's record (<see cref="StoreOptions.HeldChunksMegabytes"/>) reads an
/// answer's candidates and neighbours from memory, follows other replicas' writes, and falls back to the database when
/// the chunks do not fit its budget or outgrow it.
/// </summary>
public sealed class PostgresHeldChunksTests : PostgresReplicasTest
{
    private async Task<PostgresIndexStore> OpenAsync(string replica, double heldMegabytes = 0)
    {
        var store = new PostgresIndexStore(
            new StoreOptions { Provider = "Postgres", ConnectionString = Database.ConnectionString, ReplicaName = replica, SyncPollSeconds = 60, HeldChunksMegabytes = heldMegabytes },
            TextAnalyzer.Shared, TimeProvider.System);
        Own(store);
        await store.OpenAsync("test/unit", 3, Ct);
        return store;
    }

    private static ChunkRecord Chunk(string key, string text, int ordinal = 0) =>
        new() { Key = key, ArticleId = key.Split('#')[0], Ordinal = ordinal, Title = "Titre " + key.Split('#')[0], Text = text, End = text.Length, Embedding = new float[] { 0, 0, 1 } };

    private async Task<long> RowIdAsync(string key) => await Database.ScalarAsync<long>($"SELECT id FROM chunks WHERE key = '{key}'");

    /// <summary>A change made behind the stores' backs (nothing logged): only a store that reads the database sees it.</summary>
    private Task ChangeTextsUnloggedAsync() => Database.ExecuteAsync("UPDATE chunks SET text = 'changé en douce'");

    [Fact]
    public async Task A_replica_within_its_budget_reads_candidates_and_neighbours_from_memory_and_follows_other_replicas()
    {
        var writer = await OpenAsync("writer");
        await writer.PutChunksAsync([Chunk("a#0", "Moscou livre des drones."), Chunk("a#1", "Téhéran les reçoit.", 1), Chunk("b#0", "Le gaz iranien.")], Ct);
        var reader = await OpenAsync("reader", heldMegabytes: 16);
        await reader.Holding;
        Assert.True(reader.HoldsChunks);
        Assert.Contains(reader.Footprint(), p => p.Structure.StartsWith("held chunk records", StringComparison.Ordinal) && p.Bytes > 0);
        var (a0, a1, b0) = (await RowIdAsync("a#0"), await RowIdAsync("a#1"), await RowIdAsync("b#0"));

        await ChangeTextsUnloggedAsync();
        var chunks = await reader.GetChunksAsync([a0, b0], Ct);
        Assert.Equal(["Moscou livre des drones.", "Le gaz iranien."], new[] { chunks[a0].Text, chunks[b0].Text });
        Assert.Equal(("a#0", "a", 0), (chunks[a0].Key, chunks[a0].ArticleId, chunks[a0].Ordinal));
        var articles = await reader.GetArticlesWithChunksAsync(["a"], Ct);
        Assert.Equal("Titre a", articles["a"].Article.Title);
        Assert.Equal(["Moscou livre des drones.", "Téhéran les reçoit."], articles["a"].Chunks.Select(c => c.Text));
        // The replica that holds nothing reads what the database says now.
        Assert.Equal("changé en douce", (await writer.GetChunksAsync([a0], Ct))[a0].Text);

        // Another replica's writes reach the records held through the change log: an article added, one removed.
        await writer.PutChunksAsync(Chunk("c#0", "Les sanctions frappent le pétrole."), Ct);
        await writer.DeleteArticleAsync("a", Ct);
        var c0 = await RowIdAsync("c#0");
        await Eventually.WaitAsync(async () => (await reader.GetChunksAsync([c0], Ct)).ContainsKey(c0), "the reader holds the new chunk");
        Assert.Empty(await reader.GetChunksAsync([a0, a1], Ct));
        Assert.Equal("Les sanctions frappent le pétrole.", (await reader.GetChunksAsync([c0], Ct))[c0].Text);
        articles = await reader.GetArticlesWithChunksAsync(["a", "c"], Ct);
        Assert.Equal(["c"], articles.Keys);
        Assert.Equal(["c#0"], articles["c"].Chunks.Select(c => c.Key));
    }

    [Fact]
    public async Task A_replica_whose_chunks_exceed_its_budget_reads_them_from_theDatabase()
    {
        var writer = await OpenAsync("writer");
        await writer.PutChunksAsync([Chunk("a#0", "Moscou livre des drones."), Chunk("b#0", "Le gaz iranien.")], Ct);
        var reader = await OpenAsync("reader", heldMegabytes: 0.0001); // about 100 bytes: not even one record
        await reader.Holding;

        Assert.False(reader.HoldsChunks);
        await ChangeTextsUnloggedAsync();
        var a0 = await RowIdAsync("a#0");
        Assert.Equal("changé en douce", (await reader.GetChunksAsync([a0], Ct))[a0].Text);
    }

    [Fact]
    public async Task A_replica_whose_chunks_outgrow_its_budget_lets_them_go_and_reads_theDatabase()
    {
        var writer = await OpenAsync("writer");
        await writer.PutChunksAsync(Chunk("a#0", "Moscou livre des drones."), Ct);
        var reader = await OpenAsync("reader", heldMegabytes: 0.002); // about 2 KB: the one short chunk fits
        await reader.Holding;
        Assert.True(reader.HoldsChunks);

        await writer.PutChunksAsync(Chunk("b#0", string.Join(' ', Enumerable.Repeat("Le gaz iranien arrive en Russie.", 60))), Ct);
        await reader.SyncAsync(Ct);

        Assert.False(reader.HoldsChunks);
        await ChangeTextsUnloggedAsync();
        var b0 = await RowIdAsync("b#0");
        Assert.Equal("changé en douce", (await reader.GetChunksAsync([b0], Ct))[b0].Text);
    }
}
