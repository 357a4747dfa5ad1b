using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Storage.Postgres;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Storage;

/// <summary>
/// The lexical snapshot shared through PostgreSQL: the writer leaves its postings at its change-log position when it
/// closes, a replica that starts later reads them and follows the log from there, and a snapshot that is damaged,
/// behind the log or absent is passed over for the chunks themselves, with the same search results.
/// </summary>
public sealed class PostgresSnapshotTests : IAsyncLifetime
{
    private static readonly string[] Questions = ["gaz iranien", "Moscou livre des drones", "sanctions pétrole Téhéran", "Su-35 livraison"];

    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<PostgresIndexStore> OpenAsync(string replica)
    {
        var store = new PostgresIndexStore(
            new StoreOptions { Provider = "Postgres", ConnectionString = _database.ConnectionString, ReplicaName = replica, SyncPollSeconds = 60 },
            TextAnalyzer.Shared, TimeProvider.System);
        await store.OpenAsync("test/unit", 3, Ct);
        return store;
    }

    private static ChunkRecord Chunk(string key, string title, string text) =>
        new() { Key = key, ArticleId = key.Split('#')[0], Title = title, Text = text, End = text.Length, Embedding = new float[] { 0, 0, 1 } };

    private static readonly ChunkRecord[] Corpus =
    [
        Chunk("a#0", "Le gaz iranien", "Le gaz iranien arrive en Russie par le Caspienne."),
        Chunk("b#0", "Drones", "Moscou livre des drones à Téhéran, selon Reuters."),
        Chunk("c#0", "Sanctions", "Les sanctions frappent le pétrole de Téhéran."),
        Chunk("d#0", "Su-35", "La livraison des Su-35 à l'Iran est attendue en 2025."),
    ];

    /// <summary>Every question's hits (ids and scores), to compare two replicas' rankings.</summary>
    private static List<(long Id, double Score)>[] Results(PostgresIndexStore store) =>
        Questions.Select(q => store.Lexical.Search(LexicalQuery.FromText(q, WordAnalysers.Shared), 10).Select(h => (h.Id, h.Score)).ToList()).ToArray();

    private async Task WriteCorpusAndCloseAsync()
    {
        await using var writer = await OpenAsync("writer");
        await writer.PutChunksAsync(Corpus, Ct);
    }

    [Fact]
    public async Task The_writer_leaves_its_postings_and_the_next_replica_starts_from_them_with_the_same_results()
    {
        await WriteCorpusAndCloseAsync();
        Assert.Equal("writer", await _database.ScalarAsync<string>("SELECT written_by FROM lexical_snapshot"));

        await using var fromSnapshot = await OpenAsync("b");
        var expected = Results(fromSnapshot);
        await _database.ExecuteAsync("DELETE FROM lexical_snapshot; DELETE FROM lexical_snapshot_parts;");
        await using var fromChunks = await OpenAsync("c");

        Assert.True(fromSnapshot.OpenedFromSnapshot);
        Assert.False(fromChunks.OpenedFromSnapshot);
        Assert.Equal(4, fromSnapshot.Lexical.Count);
        Assert.All(expected, hits => Assert.NotEmpty(hits));
        Assert.Equal(expected.Select(h => string.Join(";", h)), Results(fromChunks).Select(h => string.Join(";", h)));
    }

    [Fact]
    public async Task What_was_written_after_the_snapshot_reaches_a_replica_that_starts_from_it()
    {
        await WriteCorpusAndCloseAsync();
        await using var writer = await OpenAsync("writer2"); // stays open: its changes are in the log only
        Assert.True(writer.OpenedFromSnapshot);
        await writer.DeleteArticleAsync("b", Ct);
        await writer.PutChunksAsync(Chunk("e#0", "Caspienne", "Des navires russes en mer Caspienne."), Ct);

        await using var late = await OpenAsync("late");

        Assert.True(late.OpenedFromSnapshot);
        Assert.Equal(4, late.Lexical.Count);
        Assert.Empty(late.Lexical.Search(LexicalQuery.FromText("drones Reuters", WordAnalysers.Shared), 5));
        Assert.Single(late.Lexical.Search(LexicalQuery.FromText("navires", WordAnalysers.Shared), 5));
    }

    [Fact]
    public async Task A_damaged_snapshot_is_passed_over_and_the_chunks_are_analysed()
    {
        await WriteCorpusAndCloseAsync();
        await using (var intact = await OpenAsync("intact"))
            Assert.True(intact.OpenedFromSnapshot);

        // One byte changed in the stored content: the SHA-256 no longer matches.
        await _database.ExecuteAsync("UPDATE lexical_snapshot_parts SET data = overlay(data PLACING '\\xff'::bytea FROM 200 FOR 1) WHERE part = 0");
        await using var damaged = await OpenAsync("damaged");

        Assert.False(damaged.OpenedFromSnapshot);
        Assert.Equal(4, damaged.Lexical.Count);
        Assert.Single(damaged.Lexical.Search(LexicalQuery.FromText("drones Reuters", WordAnalysers.Shared), 5));
    }

    [Fact]
    public async Task A_snapshot_the_change_log_no_longer_reaches_is_not_used()
    {
        await WriteCorpusAndCloseAsync();
        // As after an hour's outage: the log was trimmed past the snapshot's position.
        await _database.ExecuteAsync("""
            INSERT INTO meta (key, value) SELECT 'log_floor', (position + 1)::text FROM lexical_snapshot
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """);

        await using var store = await OpenAsync("b");

        Assert.False(store.OpenedFromSnapshot);
        Assert.Equal(4, store.Lexical.Count);
    }

    [Fact]
    public async Task A_replica_that_analysed_the_chunks_shares_them_and_one_that_only_read_writes_nothing_at_close()
    {
        await WriteCorpusAndCloseAsync();
        await _database.ExecuteAsync("DELETE FROM lexical_snapshot; DELETE FROM lexical_snapshot_parts;");

        await using (var analysed = await OpenAsync("analyser"))
            Assert.False(analysed.OpenedFromSnapshot); // its close waits for the snapshot it started saving
        Assert.Equal("analyser", await _database.ScalarAsync<string>("SELECT written_by FROM lexical_snapshot"));

        await using (var reader = await OpenAsync("reader"))
            Assert.True(reader.OpenedFromSnapshot);
        Assert.Equal("analyser", await _database.ScalarAsync<string>("SELECT written_by FROM lexical_snapshot"));
    }
}
