using ChatBot.Core.Indexing;
using Microsoft.Data.Sqlite;

namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The SQLite file itself, apart from what is kept in it: its connections (pooled, with the bot's pragmas, SQLite's
/// errors turned into one-line advice), the one writer at a time, the schema migrations and, for the serving process,
/// the ownership of the file. The index store and the small stores (ledger, inbox, conversations, feedback, question
/// log) each depend on it, never on one another.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly bool _exclusive;
    private SqliteOwnerLock? _owner;
    private int _disposed;

    /// <param name="exclusive">Hold the file for this process alone (<see cref="StoreOptions.Exclusive"/>).</param>
    public SqliteDatabase(string path, TimeProvider time, bool exclusive = false)
    {
        Location = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Location, Pooling = true }.ToString();
        _time = time;
        _exclusive = exclusive;
    }

    /// <summary>The file's full path, for messages.</summary>
    public string Location { get; }

    /// <summary>Whether this process holds the file alone (the serving process: it also proves it can write there).</summary>
    public bool Exclusive => _exclusive;

    /// <summary>One writer at a time in this process (SQLite allows one anyway; waiting here beats waiting on its lock).</summary>
    internal SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Brings the schema up to date (each migration once, in order, recorded in the file).</summary>
    public async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await SqliteMigrations.EnsureAsync(connection, Location, cancellationToken);
    }

    /// <summary>Creates the file's folder and, when exclusive, takes the file for this process (one line if another holds it).</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
        if (_exclusive)
            _owner ??= SqliteOwnerLock.Acquire(Location, _time);
    }

    public async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            await connection.DisposeAsync();
            throw new IndexStoreException(
                $"The index file '{Location}' cannot be opened ({ex.Message.TrimEnd('.')}). Run `index --rebuild`: the unusable file is set aside beside it, not deleted.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 14 or 8 or 23)
        {
            await connection.DisposeAsync();
            throw Unwritable(ex);
        }
    }

    /// <summary>Runs one statement on a connection of its own; returns the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> WithWriteLockAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken);
        try { return await action(); }
        finally { WriteLock.Release(); }
    }

    /// <summary>A permission problem, not a damaged file: the advice never suggests deleting anything.</summary>
    internal IndexStoreException Unwritable(SqliteException ex) => new(
        $"The index file '{Location}' cannot be opened for writing ({ex.Message.TrimEnd('.')}): check that the user running the bot may read and write " +
        $"the file and its folder '{Path.GetDirectoryName(Location)}' (ls -l, chown, chmod), or point ChatBot:Store:Path (environment: ChatBot__Store__Path) elsewhere. Nothing needs deleting.", ex);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        WriteLock.Dispose();
        _owner?.Dispose();
        // Pooled connections keep the file open; release them so the file can be deleted or rebuilt.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
