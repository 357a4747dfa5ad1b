using Npgsql;

namespace ChatBot.Tests.Support;

/// <summary>
/// The real PostgreSQL server the tests use: <c>.ci/run</c> starts a throw-away cluster on 127.0.0.1 and puts its
/// connection string in <c>CHATBOT_TEST_POSTGRES</c>. Each test gets a database of its own, dropped afterwards.
/// Without a server the PostgreSQL tests are skipped, unless <c>CHATBOT_TEST_POSTGRES_REQUIRED=1</c> (as in CI):
/// then they fail.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "CHATBOT_TEST_POSTGRES";

    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            const string why = $"No PostgreSQL server: set {Variable} (e.g. Host=127.0.0.1;Port=5432;Username=postgres) or run .ci/run, which starts one.";
            if (Environment.GetEnvironmentVariable("CHATBOT_TEST_POSTGRES_REQUIRED") == "1")
                Assert.Fail(why);
            Assert.Skip(why);
        }
        var name = "chatbot_test_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        return new TestDatabase(admin.ConnectionString, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, name);
    }
}

/// <summary>A database of one test; dropped (connections and all) on dispose.</summary>
public sealed class TestDatabase(string adminConnectionString, string connectionString, string name) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public string Name { get; } = name;

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
