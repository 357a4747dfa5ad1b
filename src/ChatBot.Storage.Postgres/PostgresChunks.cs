using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The chunks of a <see cref="PostgresIndexStore"/> through Microsoft.Extensions.VectorData. Search runs over the
/// replica's in-memory index (<see cref="IndexChunkCollection.NearestAsync"/> is where pgvector's HNSW would plug in).
/// </summary>
internal sealed class PostgresChunks
{
    internal const string Columns = "id, key, article_id, ordinal, start_offset, end_offset, title, text, embedding";

    /// <summary>The same columns without the vector (1.5 KB a chunk at 384 dimensions), for reads that do not use it.</summary>
    internal const string ColumnsWithoutVector = "id, key, article_id, ordinal, start_offset, end_offset, title, text, NULL::real[] AS embedding";

    internal static string ColumnsFor(bool includeVectors) => includeVectors ? Columns : ColumnsWithoutVector;

    private readonly PostgresIndexStore _store;

    internal PostgresChunks(PostgresIndexStore store) => _store = store;

    /// <summary>Drops every chunk; every article looks changed, so the next pass embeds it again.</summary>
    public async Task ClearAsync(CancellationToken cancellationToken) =>
        await _store.WriteAsync(async writer =>
        {
            await writer.DropAllChunksAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public async Task<Dictionary<long, ChunkRecord>> LoadAsync(IReadOnlyList<long> rowIds, bool includeVectors, CancellationToken cancellationToken)
    {
        if (rowIds.Count == 0)
            return [];
        await using var command = _store.Data.CreateCommand($"SELECT {ColumnsFor(includeVectors)} FROM chunks WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", rowIds.ToArray());
        return (await ChunkRows.ReadAllAsync(command, includeVectors, ReadVector, cancellationToken)).ToDictionary(r => r.RowId, r => r.Record);
    }

    internal static async Task<List<ChunkRecord>> ReadAllAsync(NpgsqlCommand command, bool includeVectors, CancellationToken cancellationToken) =>
        (await ChunkRows.ReadAllAsync(command, includeVectors, ReadVector, cancellationToken)).Select(r => r.Record).ToList();

    private static float[] ReadVector(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetFieldValue<float[]>(ordinal);
}
