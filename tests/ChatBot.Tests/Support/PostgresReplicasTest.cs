namespace ChatBot.Tests.Support;

/// <summary>
/// Tests over several stores (replicas) on one fresh PostgreSQL database: every store a test owns is disposed, the
/// last opened first, and then the database is dropped.
/// </summary>
public abstract class PostgresReplicasTest : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected TestDatabase Database { get; private set; } = null!;

    /// <summary>Disposed with the test, after the stores owned later.</summary>
    protected T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async ValueTask InitializeAsync() => Database = await PostgresServer.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
            await owned.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
