using System.Globalization;
using ChatBot.Core.Search;
using Microsoft.Data.Sqlite;

using ChatBot.Core.Storage;

namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The in-memory lexical index kept in a file beside the database (<c>chatbot.db.lexical</c>), tagged with the
/// database's generation (a counter every write transaction increments): at open, a snapshot of the current generation
/// is read back instead of analysing every chunk again; any other is ignored and replaced. Written after a rebuild and
/// when the store closes, never half: to a temporary file, then renamed.
/// </summary>
public sealed partial class SqliteIndexStore
{
    private long _generation;
    private long _savedGeneration = -1;
    private Task _snapshotSave = Task.CompletedTask;

    /// <summary>Whether the last open read the lexical index back from its snapshot rather than from the chunks.</summary>
    internal bool OpenedFromSnapshot { get; private set; }

    internal string SnapshotPath => Location + ".lexical";

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

    /// <summary>The snapshot of <paramref name="generation"/>, or null when there is none (or another, or an unreadable one).</summary>
    private LexicalIndex? LoadSnapshot(long generation)
    {
        try
        {
            using var file = new FileStream(SnapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            if (LexicalIndex.ReadHeader(file) is not { } header || header.Position != generation)
                return null;
            file.Position = 0;
            var index = LexicalIndex.Load(file);
            if (index is not null)
                _savedGeneration = generation;
            return index;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or EndOfStreamException)
        {
            return null; // no snapshot, or a damaged one: the index is built from the chunks
        }
    }

    /// <summary>Writes the snapshot when the index changed since the last one (writes wait meanwhile).</summary>
    internal async Task SaveSnapshotAsync(CancellationToken cancellationToken)
    {
        if (_memory is not { } memory || Interlocked.Read(ref _generation) == _savedGeneration)
            return;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var generation = Interlocked.Read(ref _generation);
            if (generation == _savedGeneration)
                return;
            var temporary = SnapshotPath + ".tmp";
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                memory.Lexical.Save(file, generation);
            File.Move(temporary, SnapshotPath, overwrite: true);
            _savedGeneration = generation;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a faster next start is lost: the index rebuilds from the chunks.
        }
        finally { _writeLock.Release(); }
    }
}
