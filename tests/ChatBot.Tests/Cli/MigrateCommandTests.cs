using ChatBot.Cli;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Storage.Postgres;
using ChatBot.Storage.Sqlite;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Cli;

/// <summary><c>migrate</c> on the command line, from a real SQLite index to a real PostgreSQL database.</summary>
public sealed class MigrateCommandTests : IAsyncLifetime
{
    private const string Question = "Avec quel président iranien Poutine a-t-il tenu une conférence de presse ?";
    private readonly TempFolder _root = new();
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        Directory.CreateDirectory(_root.Combine("corpus"));
        foreach (var file in Fixture.SeedFiles)
            File.Copy(file, _root.Combine("corpus", Path.GetFileName(file)));
        File.WriteAllText(_root.Combine("appsettings.json"), """{ "ChatBot": { "Corpus": { "Path": "corpus" }, "Store": { "Path": "data/chatbot.db" } } }""");
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
        await _database.DisposeAsync();
    }

    private async Task<(int Code, string Out, string Err)> Run(bool onPostgres, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var app = new CliApp(output, error, _root.Path);
        if (onPostgres)
        {
            app.Overrides["ChatBot:Store:Provider"] = "Postgres";
            app.Overrides["ChatBot:Store:ConnectionString"] = _database.ConnectionString;
        }
        var code = await app.RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Sqlite_to_postgres_copies_vectors_and_times_and_nothing_is_embedded_again()
    {
        Assert.Equal(0, (await Run(false, "index")).Code);
        var onSqlite = await Run(false, "ask", Question);

        var migrated = await Run(false, "migrate", "--from", "sqlite", "--to", "postgres", "--connection-string", _database.ConnectionString);
        var indexed = await Run(true, "index");
        var onPostgres = await Run(true, "ask", Question);
        var again = await Run(false, "migrate", "--from", "sqlite", "--to", "postgres", "--connection-string", _database.ConnectionString);

        Assert.Equal(0, migrated.Code);
        Assert.Contains("Copied 5 articles (17 chunks", migrated.Out, StringComparison.Ordinal);
        Assert.Contains("5 files: 0 added, 0 updated, 0 removed, 5 unchanged; 0 chunks embedded", indexed.Out, StringComparison.Ordinal);
        Assert.Equal(onSqlite.Out, onPostgres.Out);
        Assert.Contains("Copied 0 articles", again.Out, StringComparison.Ordinal);
        Assert.Contains("5 articles were already there", again.Out, StringComparison.Ordinal);

        await using var sqlite = new SqliteIndexStore(_root.Combine("data", "chatbot.db"), TextAnalyzer.Shared, TimeProvider.System);
        await using var postgres = new PostgresIndexStore(new StoreOptions { Provider = "Postgres", ConnectionString = _database.ConnectionString }, TextAnalyzer.Shared, TimeProvider.System);
        var embedder = (await sqlite.ReadEmbedderAsync(Ct))!;
        Assert.Equal(embedder, await postgres.ReadEmbedderAsync(Ct));
        await sqlite.OpenAsync(embedder.Id, embedder.Dimensions, Ct);
        await postgres.OpenAsync(embedder.Id, embedder.Dimensions, Ct);
        foreach (var article in await sqlite.ListArticlesAsync(Ct))
        {
            var copy = (await postgres.GetArticleAsync(article.Id, Ct))!;
            Assert.Equal(article.Title, copy.Title);
            Assert.Equal(article.IngestedAt, copy.IngestedAt, TimeSpan.FromMicroseconds(1)); // PostgreSQL keeps microseconds
            var expected = await sqlite.ExportArticleChunksAsync(article.Id, Ct);
            var actual = await postgres.ExportArticleChunksAsync(article.Id, Ct);
            Assert.Equal(expected.Select(c => (c.Key, c.Text, c.Start, c.End)), actual.Select(c => (c.Key, c.Text, c.Start, c.End)));
            Assert.Equal(expected.Select(c => c.Embedding.ToArray()), actual.Select(c => c.Embedding.ToArray()));
        }
    }

    [Theory]
    [InlineData(new[] { "migrate", "--from", "sqlite", "--to", "sqlite" }, "--from and --to must name different stores")]
    [InlineData(new[] { "migrate", "--from", "mysql", "--to", "postgres" }, "mysql")]
    [InlineData(new[] { "migrate", "--to", "postgres" }, "--from")]
    public async Task Bad_arguments_are_usage_errors(string[] args, string message)
    {
        var (code, _, error) = await Run(false, args);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_index_to_copy_it_says_so()
    {
        var (code, _, error) = await Run(false, "migrate", "--from", "sqlite", "--to", "postgres", "--connection-string", _database.ConnectionString);

        Assert.Equal(1, code);
        Assert.Contains("There is no index at", error, StringComparison.Ordinal);
        Assert.Contains("build one first with `index`", error, StringComparison.Ordinal);
    }
}
