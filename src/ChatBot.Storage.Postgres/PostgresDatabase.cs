using System.Globalization;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The PostgreSQL database itself, apart from what is kept in it: the pooled data source (named after the replica,
/// JIT off, statements prepared), the listener's own connection string, reaching the server with one-line advice when
/// it cannot be reached, and the schema migrations. The index store and the small stores (ledger, inbox,
/// conversations, feedback, question log) each depend on it, never on one another.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private int _disposed;

    public PostgresDatabase(StoreOptions options)
    {
        ReplicaName = options.EffectiveReplicaName;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new IndexStoreException($"ChatBot:Store:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
        builder.ApplicationName ??= $"chatbot {ReplicaName}";
        // The planner's estimates for the BM25 query can cross the JIT threshold, and compiling costs ~400 ms for a
        // query that runs in ~10: these short statements never gain from JIT.
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        // The reads of a question are the same few statements every time: prepared once per connection, each runs
        // without being parsed and planned again.
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 32;
        Location = $"postgres://{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database ?? builder.Username}";
        Data = NpgsqlDataSource.Create(builder.ConnectionString);
        // The listener holds its connection for the life of the process: keep it out of the pool.
        ListenConnectionString = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, KeepAlive = 5 }.ConnectionString;
    }

    /// <summary>Where the database is, for messages (<c>postgres://host:port/database</c>).</summary>
    public string Location { get; }

    /// <summary>This process's name in the database: leader record, connection application name.</summary>
    public string ReplicaName { get; }

    /// <summary>The pooled connections every store's statements use.</summary>
    public NpgsqlDataSource Data { get; }

    /// <summary>For the one long-lived connection that listens for changes (not pooled, kept alive).</summary>
    internal string ListenConnectionString { get; }

    public async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Data.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new IndexStoreException(
                $"Cannot reach the PostgreSQL index at {Location} ({ex.Message.TrimEnd('.')}). Check ChatBot:Store:ConnectionString and that the server is running.", ex);
        }
    }

    /// <summary>Brings the schema up to date (each migration once, in order, under a lock all replicas share).</summary>
    public Task MigrateAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken) =>
        PostgresMigrations.ApplyAsync(connection, Location, logger, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await Data.DisposeAsync();
    }
}
