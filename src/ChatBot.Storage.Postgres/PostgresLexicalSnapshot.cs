using System.Security.Cryptography;
using ChatBot.Core.Indexing.Lexical;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The lexical snapshot shared through the database: one replica's in-memory postings at a change-log position
/// (<c>lexical_snapshot</c>, in parts in <c>lexical_snapshot_parts</c>), so that a replica starting later reads them
/// and follows the log from that position instead of analysing every chunk. Trusted only when its format and
/// analysis are this build's, the log still reaches back to its position, and its SHA-256 matches what was read;
/// otherwise the replica analyses the chunks as before. Parts go through a temporary file on both sides, so neither
/// writing nor reading holds the whole snapshot in memory beside the index.
/// </summary>
internal static class PostgresLexicalSnapshot
{
    /// <summary>The size of one stored part: well under a bytea's 1 GB and Npgsql's buffers.</summary>
    public const int PartBytes = 8 << 20;

    /// <summary>The position of the stored snapshot, or null when there is none.</summary>
    public static async Task<long?> StoredPositionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT position FROM lexical_snapshot", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : null;
    }

    /// <summary>
    /// The stored snapshot and its position; null when there is none usable (<paramref name="damage"/> says why when
    /// it was damaged rather than merely absent, old or behind the log).
    /// </summary>
    public static async Task<(LexicalIndex Index, long Position)?> LoadAsync(NpgsqlConnection connection, Action<string> damage, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long position, bytes;
        byte[] expected;
        await using (var head = new NpgsqlCommand("""
            SELECT position, bytes, sha256, format, coalesce((SELECT value::bigint FROM meta WHERE key = 'log_floor'), 0) FROM lexical_snapshot
            """, connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            (position, bytes, expected) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
            if (reader.GetInt32(3) != LexicalIndex.CurrentSnapshotFormat || reader.GetInt64(4) > position)
                return null; // written by another build, or the log no longer reaches back to it
        }
        var path = Path.Combine(Path.GetTempPath(), $"chatbot-lexical-{Guid.NewGuid():N}.snapshot");
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var parts = new NpgsqlCommand("SELECT data FROM lexical_snapshot_parts ORDER BY part", connection, transaction))
            await using (var reader = await parts.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var part = await reader.GetFieldValueAsync<byte[]>(0, cancellationToken);
                    hash.AppendData(part);
                    await file.WriteAsync(part, cancellationToken);
                }
            }
            await transaction.CommitAsync(cancellationToken);
            if (file.Length != bytes || !hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
            {
                damage($"its checksum does not match its content ({file.Length} of {bytes} bytes read)");
                return null;
            }
            file.Position = 0;
            if (LexicalIndex.ReadHeader(file) is not { } header || header.Position != position)
            {
                damage("its header does not match its record");
                return null;
            }
            file.Position = 0;
            return LexicalIndex.Load(file) is { } index ? (index, position) : null;
        }
#pragma warning disable CA1031 // whatever damaged content makes the reader throw, the index is analysed from the chunks
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException or NpgsqlException))
#pragma warning restore CA1031
        {
            damage($"{ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Stores what <paramref name="write"/> writes (an index and the position it reflects, which it returns) as the
    /// snapshot, unless one at that position or later is already stored: replicas saving together write it once. The
    /// index needs to stay still only while <paramref name="write"/> runs (to a local file), not during the upload.
    /// </summary>
    public static async Task<bool> SaveAsync(NpgsqlConnection connection, Func<Stream, CancellationToken, Task<long>> write, string writtenBy, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"chatbot-lexical-{Guid.NewGuid():N}.snapshot");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
        var position = await write(file, cancellationToken);
        file.Position = 0;
        var sha256 = await SHA256.HashDataAsync(file, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresIndexStore.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.SnapshotLock})", cancellationToken);
        if (await StoredPositionAsync(connection, cancellationToken) >= position)
            return false;
        await PostgresIndexStore.ExecuteAsync(connection, "DELETE FROM lexical_snapshot_parts", cancellationToken);
        file.Position = 0;
        var buffer = new byte[PartBytes];
        for (var part = 0; ; part++)
        {
            var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
                break;
            await using var insert = new NpgsqlCommand("INSERT INTO lexical_snapshot_parts (part, data) VALUES (@part, @data)", connection, transaction);
            insert.Parameters.AddWithValue("part", part);
            insert.Parameters.AddWithValue("data", read == buffer.Length ? buffer : buffer[..read]);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var head = new NpgsqlCommand("""
            INSERT INTO lexical_snapshot (id, position, format, bytes, sha256, written_by, written_at) VALUES (1, @position, @format, @bytes, @sha256, @by, now())
            ON CONFLICT (id) DO UPDATE SET position = excluded.position, format = excluded.format, bytes = excluded.bytes, sha256 = excluded.sha256,
                written_by = excluded.written_by, written_at = excluded.written_at
            """, connection, transaction))
        {
            head.Parameters.AddWithValue("position", position);
            head.Parameters.AddWithValue("format", LexicalIndex.CurrentSnapshotFormat);
            head.Parameters.AddWithValue("bytes", file.Length);
            head.Parameters.AddWithValue("sha256", sha256);
            head.Parameters.AddWithValue("by", writtenBy);
            await head.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
