using System.Globalization;
using Microsoft.Data.Sqlite;


namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The database's generation (a counter every write transaction increments) and the lexical snapshot that follows it
/// (<see cref="SqliteLexicalLoader"/>): read back at open when it is of the current generation, written after a
/// rebuild and when the store closes.
/// </summary>
public sealed partial class SqliteIndexStore
{
    private long _generation;
    private Task _snapshotSave = Task.CompletedTask;

    /// <summary>Whether the last open read the lexical index back from its snapshot rather than from the chunks.</summary>
    internal bool OpenedFromSnapshot { get; private set; }

    internal string SnapshotPath => _lexical.SnapshotPath;

    /// <summary>Counts a write in the transaction that makes it; returns the new generation.</summary>
    internal static async Task<long> BumpGenerationAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO meta (key, value) VALUES ('generation', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
            RETURNING CAST(value AS INTEGER)
            """;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    internal void Committed(long generation) => Interlocked.Exchange(ref _generation, generation);

    private static async Task<long> ReadGenerationAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'generation'";
        return await command.ExecuteScalarAsync(cancellationToken) is string value ? long.Parse(value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Writes the lexical snapshot when the index changed since the last one (writes wait meanwhile).</summary>
    internal async Task SaveSnapshotAsync(CancellationToken cancellationToken)
    {
        if (_memory is not { } memory || _lexical.IsSaved(Interlocked.Read(ref _generation)))
            return;
        await _database.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var generation = Interlocked.Read(ref _generation);
            if (!_lexical.IsSaved(generation))
                _lexical.SaveSnapshot(memory.Lexical, generation);
        }
        finally { _database.WriteLock.Release(); }
    }
}
