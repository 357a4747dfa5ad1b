using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Storage.Sqlite;
using ChatBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Storage;

public sealed class IndexFileTests
{

    private static SqliteIndexStore Store(string path) => new(path, TextAnalyzer.Shared, TimeProvider.System);

    [Fact]
    public async Task A_corrupt_file_is_reported_with_its_path_and_how_to_rebuild()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("chatbot.db");
        File.WriteAllText(path, "this is not a database, just some text that happens to be long enough to look like a header");
        await using var store = Store(path);

        var error = await Assert.ThrowsAsync<IndexStoreException>(() => store.OpenAsync("e", 8, Ct));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("--rebuild", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_file_of_another_application_is_refused_not_modified()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("other.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');";
            await command.ExecuteNonQueryAsync(Ct);
        }
        await using var store = Store(path);

        var error = await Assert.ThrowsAsync<IndexStoreException>(() => store.OpenAsync("e", 8, Ct));

        Assert.Contains("another application", error.Message, StringComparison.Ordinal);
        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync(Ct);
        await using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM sqlite_master";
        Assert.Equal(1L, await count.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Vectors_survive_a_reopen()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("chatbot.db");
        await using (var store = Store(path))
        {
            await store.OpenAsync("e", 2, Ct);
            await store.PutChunksAsync(new ChunkRecord { Key = "a#0", ArticleId = "a", Text = "texte", Title = "t", Embedding = new[] { 0.6f, 0.8f } }, Ct);
        }
        await using var reopened = Store(path);

        var reset = await reopened.OpenAsync("e", 2, Ct);
        var hit = Assert.Single(await reopened.NearestKeysAsync([0.6f, 0.8f], 1, Ct));

        Assert.False(reset);
        Assert.Equal("a#0", hit.Key);
        Assert.Equal(1.0, hit.Score, 5);
    }
}
