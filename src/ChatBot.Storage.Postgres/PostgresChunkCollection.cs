using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The chunks of a <see cref="PostgresIndexStore"/> through Microsoft.Extensions.VectorData. Search runs over the
/// replica's in-memory index (<see cref="IndexChunkCollection.NearestAsync"/> is where pgvector's HNSW would plug in).
/// </summary>
public sealed class PostgresChunkCollection : IndexChunkCollection
{
    internal const string Columns = "id, key, article_id, ordinal, start_offset, end_offset, title, text, embedding";

    /// <summary>The same columns without the vector (1.5 KB a chunk at 384 dimensions), for reads that do not use it.</summary>
    internal const string ColumnsWithoutVector = "id, key, article_id, ordinal, start_offset, end_offset, title, text, NULL::real[] AS embedding";

    internal static string ColumnsFor(bool includeVectors) => includeVectors ? Columns : ColumnsWithoutVector;

    private readonly PostgresIndexStore _store;

    internal PostgresChunkCollection(PostgresIndexStore store, FusionOptions fusion, IEmbeddingGenerator<string, Embedding<float>>? generator)
        : base(fusion, generator) => _store = store;

    protected override InMemoryIndex Memory => _store.Memory;

    protected override ValueTask EnsureVectorsAsync(CancellationToken cancellationToken) => _store.EnsureVectorsAsync(cancellationToken);

    protected override object Store => _store;

    public override async Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        await _store.WriteAsync(async writer =>
        {
            await writer.DropAllChunksAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public override async Task<ChunkRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var command = _store.Data.CreateCommand($"SELECT {Columns} FROM chunks WHERE key = @key");
        command.Parameters.AddWithValue("key", key);
        var records = await ReadAllAsync(command, options?.IncludeVectors ?? false, cancellationToken);
        return records.Count == 0 ? null : records[0];
    }

    public override async IAsyncEnumerable<ChunkRecord> GetAsync(
        Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = _store.Data.CreateCommand($"SELECT {Columns} FROM chunks ORDER BY id");
        var predicate = filter.Compile();
        var records = await ReadAllAsync(command, options?.IncludeVectors ?? false, cancellationToken);
        foreach (var record in records.Where(predicate).Skip(options?.Skip ?? 0).Take(top))
            yield return record;
    }

    public override async Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await _store.WriteAsync(writer => writer.DeleteChunkAsync(key, cancellationToken), cancellationToken);

    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) =>
        UpsertAsync([record], cancellationToken);

    public override async Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default)
    {
        var batch = records.ToList();
        CheckDimensions(batch);
        await _store.WriteAsync(async writer =>
        {
            foreach (var record in batch)
                await writer.DeleteChunkAsync(record.Key, cancellationToken);
            await writer.InsertChunksAsync(batch, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public override async Task<Dictionary<long, ChunkRecord>> LoadAsync(IReadOnlyList<long> rowIds, bool includeVectors, CancellationToken cancellationToken)
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
