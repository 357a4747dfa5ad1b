using ChatBot.Core.Indexing;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The replica's in-memory index read from the database: every chunk's postings (and vectors, unless vector search is
/// off until a first vector query) in one repeatable-read snapshot, with the change-log position that snapshot
/// matches, from which <see cref="PostgresIndexStore.SyncAsync"/> follows.
/// </summary>
internal static class PostgresMemoryLoader
{
    /// <summary>Every chunk (title, text, vector) and the change-log position they correspond to, read in one snapshot.</summary>
    public static async Task<(InMemoryIndex Index, long Sequence)> LoadAsync(PostgresIndexStore store, InMemoryIndex index, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // Where the log stands; when it was trimmed to nothing, the floor it was trimmed to.
        var seq = await PostgresIndexStore.ScalarAsync<long>(connection, """
            SELECT greatest(coalesce((SELECT max(seq) FROM chunk_log), 0), coalesce((SELECT value::bigint FROM meta WHERE key = 'log_floor'), 0))
            """, cancellationToken);
        var columns = index.VectorsLoaded ? "id, title, text, embedding" : "id, title, text";
        await using (var command = new NpgsqlCommand($"SELECT {columns} FROM chunks ORDER BY id", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var rows = new List<(long, string, string)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                if (index.VectorsLoaded)
                    index.Vectors.Upsert(id, reader.GetFieldValue<float[]>(3));
                rows.Add((id, reader.GetString(1), reader.GetString(2)));
                if (rows.Count == 4096)
                {
                    index.Lexical.AddRange(rows, trim: false);
                    rows.Clear();
                }
            }
            index.Lexical.AddRange(rows);
        }
        await transaction.CommitAsync(cancellationToken);
        return (index, seq);
    }

    /// <summary>Every vector, for a replica that opened without them.</summary>
    public static async Task LoadVectorsAsync(PostgresIndexStore store, VectorIndex vectors, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("SELECT id, embedding FROM chunks");
        await using var reader = await store.ExecuteReaderAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            vectors.Upsert(reader.GetInt64(0), reader.GetFieldValue<float[]>(1));
    }
}
