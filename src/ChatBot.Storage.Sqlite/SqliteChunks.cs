using System.Runtime.InteropServices;
using ChatBot.Core.Ingestion;
using Microsoft.Data.Sqlite;

using ChatBot.Core.Indexing;

namespace ChatBot.Storage.Sqlite;

/// <summary>The chunk rows of a <see cref="SqliteIndexStore"/>: reads by row id, and clearing them all.</summary>
internal sealed class SqliteChunks
{
    internal const string Columns = "rowid, key, article_id, ordinal, start_offset, end_offset, title, text, embedding";

    /// <summary>The same columns without the vector: a read that does not use it does not load its overflow pages.</summary>
    internal static string ColumnsFor(bool includeVectors) => includeVectors ? Columns : "rowid, key, article_id, ordinal, start_offset, end_offset, title, text, NULL AS embedding";

    private readonly SqliteIndexStore _store;

    internal SqliteChunks(SqliteIndexStore store) => _store = store;

    /// <summary>Drops every chunk; every article looks changed, so the next pass embeds it again.</summary>
    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await _store.WithWriteLockAsync(async () =>
        {
            await using var connection = await _store.ConnectAsync(cancellationToken);
            // Like an embedder change: no chunk left, and every article looks changed so the next pass embeds it again.
            await SqliteIndexStore.ExecuteAsync(connection, "DELETE FROM chunks; DELETE FROM files; UPDATE articles SET content_hash = '';", cancellationToken);
            _store.Committed(await SqliteIndexStore.BumpGenerationAsync(connection, null, cancellationToken));
            _store.Memory.Clear();
            _store.Changed();
            return true;
        }, cancellationToken);
    }

    public async Task<Dictionary<long, ChunkRecord>> LoadAsync(IReadOnlyList<long> rowIds, bool includeVectors, CancellationToken cancellationToken)
    {
        if (rowIds.Count == 0)
            return [];
        await using var connection = await _store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ColumnsFor(includeVectors)} FROM chunks WHERE rowid IN ({string.Join(',', rowIds)})";
        return (await ChunkRows.ReadAllAsync(command, includeVectors, ReadVector, cancellationToken)).ToDictionary(r => r.RowId, r => r.Record);
    }

    internal static async Task<List<ChunkRecord>> ReadAllAsync(SqliteCommand command, bool includeVectors, CancellationToken cancellationToken) =>
        (await ChunkRows.ReadAllAsync(command, includeVectors, ReadVector, cancellationToken)).Select(r => r.Record).ToList();

    private static float[] ReadVector(System.Data.Common.DbDataReader reader, int ordinal) =>
        MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(ordinal)).ToArray();
}
