using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Storage.Postgres;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Storage;

/// <summary>
/// Several replicas on one real PostgreSQL database, store by store: change propagation through LISTEN/NOTIFY and
/// the change log, start-up migrations under the advisory lock, the leader lock, and the clear refusals.
/// </summary>
public sealed class PostgresReplicaTests : PostgresReplicasTest
{
    private StoreOptions Options(string replica, double pollSeconds = 60, string? connectionString = null) => new()
    {
        Provider = "Postgres",
        ConnectionString = connectionString ?? Database.ConnectionString,
        ReplicaName = replica,
        SyncPollSeconds = pollSeconds,
        LeaderRetrySeconds = 0.2,
    };

    private async Task<PostgresIndexStore> OpenAsync(string replica, double pollSeconds = 60)
    {
        var store = new PostgresIndexStore(Options(replica, pollSeconds), TextAnalyzer.Shared, TimeProvider.System);
        Own(store);
        await store.OpenAsync("test/unit", 3, Ct);
        return store;
    }

    private static ChunkRecord Chunk(string key, string text, params float[] vector) =>
        new() { Key = key, ArticleId = key.Split('#')[0], Title = "Titre", Text = text, End = text.Length, Embedding = vector };

    private static async Task<bool> FindsAsync(IIndexStore store, string key, float[] vector) =>
        (await store.NearestKeysAsync(vector, 5, Ct)).Any(r => r.Key == key);

    private static Task<TimeSpan> TimeUntilAsync(Func<Task<bool>> condition, TimeSpan limit) => Eventually.WaitAsync(condition, "condition", limit);

    [Fact]
    public async Task A_change_ingested_by_one_replica_is_searchable_on_another_within_two_seconds()
    {
        // Polling every minute: only the notification can make the other replica see the change in time.
        var writer = await OpenAsync("a");
        var reader = await OpenAsync("b", pollSeconds: 60);

        await writer.PutChunksAsync(Chunk("x#0", "Le gaz iranien.", 0, 0, 1), Ct);
        var added = await TimeUntilAsync(() => FindsAsync(reader, "x#0", [0, 0, 1]), TimeSpan.FromSeconds(2));
        await writer.DeleteArticleAsync("x", Ct);
        var removed = await TimeUntilAsync(async () => !await FindsAsync(reader, "x#0", [0, 0, 1]), TimeSpan.FromSeconds(2));

        TestContext.Current.SendDiagnosticMessage($"propagation: added {added.TotalMilliseconds:0} ms, removed {removed.TotalMilliseconds:0} ms");
        Assert.True(added < TimeSpan.FromSeconds(2) && removed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Term_statistics_on_another_replica_follow_the_change()
    {
        var writer = await OpenAsync("a");
        var reader = await OpenAsync("b");
        Assert.Equal(0, reader.Lexical.DocumentFrequency("moscou"));

        await writer.PutChunksAsync(Chunk("x#0", "Moscou.", 0, 0, 1), Ct);
        // Not a vector search as the signal: with the hashing embedder the first one loads the vectors from the
        // database itself, whether the change log was read or not.
        await TimeUntilAsync(() => Task.FromResult(reader.Lexical.Count == 1), TimeSpan.FromSeconds(2));

        Assert.Equal((1, 1), (reader.Lexical.Count, reader.Lexical.DocumentFrequency("moscou")));
        // The replica searches it with its own in-memory postings, fed by the change log.
        Assert.Single(reader.Lexical.Search(LexicalQuery.FromText("Moscou", WordAnalysers.Shared), 5));
    }

    [Fact]
    public async Task A_replica_further_behind_than_the_change_log_reloads_every_vector()
    {
        var writer = await OpenAsync("a");
        var reader = await OpenAsync("b");
        await writer.PutChunksAsync([Chunk("x#0", "un", 0, 0, 1), Chunk("y#0", "deux", 0, 1, 0)], Ct);
        await TimeUntilAsync(() => FindsAsync(reader, "x#0", [0, 0, 1]), TimeSpan.FromSeconds(2));

        // A change the reader never heard of, and the log trimmed past it (as after an hour's outage).
        await Database.ExecuteAsync("""
            DELETE FROM chunks WHERE key = 'x#0';
            WITH logged AS (INSERT INTO chunk_log (chunk_id) VALUES (-1) RETURNING seq)
            INSERT INTO meta (key, value) SELECT 'log_floor', seq::text FROM logged;
            DELETE FROM chunk_log;
            """);
        await reader.SyncAsync(Ct);

        Assert.False(await FindsAsync(reader, "x#0", [0, 0, 1]));
        Assert.True(await FindsAsync(reader, "y#0", [0, 1, 0]));
        await writer.PutChunksAsync(Chunk("z#0", "trois", 1, 0, 0), Ct);
        await TimeUntilAsync(() => FindsAsync(reader, "z#0", [1, 0, 0]), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Replicas_starting_together_apply_each_migration_once()
    {
        var stores = Enumerable.Range(0, 5).Select(i => new PostgresIndexStore(Options($"r{i}"), TextAnalyzer.Shared, TimeProvider.System)).ToList();
        foreach (var store in stores)
            Own(store);

        await Task.WhenAll(stores.Select(s => s.OpenAsync("test/unit", 3, Ct)));

        Assert.Equal(PostgresSchema.Version, (int)await Database.ScalarAsync<long>("SELECT count(*) FROM chatbot_migrations"));
    }

    [Fact]
    public async Task ADatabase_that_is_not_the_bots_or_is_newer_is_refused_with_a_clear_message()
    {
        await Database.ExecuteAsync("CREATE TABLE chunks (x integer)");
        var foreign = new PostgresIndexStore(Options("a"), TextAnalyzer.Shared, TimeProvider.System);
        Own(foreign);
        var error = await Assert.ThrowsAsync<IndexStoreException>(() => foreign.OpenAsync("test/unit", 3, Ct));
        Assert.Contains("ChatBot did not create", error.Message, StringComparison.Ordinal);

        await Database.ExecuteAsync("DROP TABLE chunks");
        await OpenAsync("b");
        await Database.ExecuteAsync("INSERT INTO chatbot_migrations (version) VALUES (99)");
        var newer = new PostgresIndexStore(Options("c"), TextAnalyzer.Shared, TimeProvider.System);
        Own(newer);
        error = await Assert.ThrowsAsync<IndexStoreException>(() => newer.OpenAsync("test/unit", 3, Ct));
        Assert.Contains("newer version of ChatBot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_in_one_clear_sentence()
    {
        var store = new PostgresIndexStore(Options("a", connectionString: "Host=127.0.0.1;Port=1;Username=chatbot;Timeout=3"), TextAnalyzer.Shared, TimeProvider.System);
        Own(store);

        var error = await Assert.ThrowsAsync<IndexStoreException>(() => store.OpenAsync("test/unit", 3, Ct));

        Assert.StartsWith("Cannot reach the PostgreSQL index at postgres://127.0.0.1:1/", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChatBot:Store:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_replica_leads_and_another_takes_over_within_seconds_when_its_connection_dies()
    {
        var first = new PostgresLeadership(Options("first"));
        var second = new PostgresLeadership(Options("second"));
        Own(first);
        Own(second);
        await using var admin = Npgsql.NpgsqlDataSource.Create(Database.ConnectionString);

        var lead = await first.AcquireAsync(Ct);
        var waiting = second.AcquireAsync(Ct);
        await TimeUntilAsync(() => Task.FromResult(second.Refused >= 2), TimeSpan.FromSeconds(10)); // tried, and tried again
        Assert.False(waiting.IsCompleted);
        Assert.Equal("chatbot first leader", await PostgresLeadership.CurrentLeaderAsync(admin, Ct));

        // The leader's session dies as it does when its process is killed or its host vanishes.
        await Database.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'chatbot first leader'");
        var takeover = await TimeUntilAsync(() => Task.FromResult(waiting.IsCompleted), TimeSpan.FromSeconds(5));
        await TimeUntilAsync(() => Task.FromResult(lead.IsCancellationRequested), TimeSpan.FromSeconds(5));

        TestContext.Current.SendDiagnosticMessage($"takeover after {takeover.TotalMilliseconds:0} ms");
        Assert.True(second.IsLeader);
        Assert.False(first.IsLeader);
        Assert.Equal("chatbot second leader", await PostgresLeadership.CurrentLeaderAsync(admin, Ct));

        // Stepping down on shutdown frees the lead at once.
        var third = new PostgresLeadership(Options("third"));
        Own(third);
        var next = third.AcquireAsync(Ct);
        await second.DisposeAsync();
        await TimeUntilAsync(() => Task.FromResult(next.IsCompleted), TimeSpan.FromSeconds(2));
    }
}
