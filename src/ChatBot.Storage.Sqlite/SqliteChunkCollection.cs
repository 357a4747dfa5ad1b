using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ChatBot.Core.Ingestion;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

using ChatBot.Core.Indexing;

namespace ChatBot.Storage.Sqlite;

/// <summary>The chunks of a <see cref="SqliteIndexStore"/> seen through Microsoft.Extensions.VectorData.</summary>
public sealed class SqliteChunkCollection : IndexChunkCollection
{
    internal const string Columns = "rowid, key, article_id, ordinal, start_offset, end_offset, title, text, embedding";

    /// <summary>The same columns without the vector: a read that does not use it does not load its overflow pages.</summary>
    internal static string ColumnsFor(bool includeVectors) => includeVectors ? Columns : "rowid, key, article_id, ordinal, start_offset, end_offset, title, text, NULL AS embedding";

    private readonly SqliteIndexStore _store;

    internal SqliteChunkCollection(SqliteIndexStore store, FusionOptions fusion, IEmbeddingGenerator<string, Embedding<float>>? generator)
        : base(fusion, generator) => _store = store;

    protected override InMemoryIndex Memory => _store.Memory;

    protected override ValueTask EnsureVectorsAsync(CancellationToken cancellationToken) => _store.EnsureVectorsAsync(cancellationToken);

    protected override object Store => _store;

    public override async Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
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

    public override async Task<ChunkRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM chunks WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        var records = await ReadAllAsync(command, options?.IncludeVectors ?? false, cancellationToken);
        return records.Count == 0 ? null : records[0];
    }

    public override async IAsyncEnumerable<ChunkRecord> GetAsync(
        Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM chunks ORDER BY rowid";
        var predicate = filter.Compile();
        var records = await ReadAllAsync(command, options?.IncludeVectors ?? false, cancellationToken);
        foreach (var record in records.Where(predicate).Skip(options?.Skip ?? 0).Take(top))
            yield return record;
    }

    public override async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await _store.WithWriteLockAsync(async () =>
        {
            await using var connection = await _store.ConnectAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var writer = new SqliteChunkWriter(connection, transaction);
            if (await writer.FindChunkAsync(key, cancellationToken) is { } rowId)
            {
                await writer.DeleteChunkRowAsync(rowId, cancellationToken);
                var generation = await SqliteIndexStore.BumpGenerationAsync(connection, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                _store.Committed(generation);
                _store.Memory.Remove(rowId);
                _store.Changed();
            }
            return true;
        }, cancellationToken);
    }

    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) =>
        UpsertAsync([record], cancellationToken);

    public override async Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default)
    {
        var batch = records.ToList();
        CheckDimensions(batch);
        await _store.WithWriteLockAsync(async () =>
        {
            var replaced = new List<long>();
            var added = new List<InMemoryIndex.Row>();
            await using var connection = await _store.ConnectAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var writer = new SqliteChunkWriter(connection, transaction))
            {
                foreach (var record in batch)
                {
                    if (await writer.FindChunkAsync(record.Key, cancellationToken) is { } old)
                    {
                        await writer.DeleteChunkRowAsync(old, cancellationToken);
                        replaced.Add(old);
                    }
                    var rowId = await writer.InsertChunkAsync(record, cancellationToken);
                    added.Add(new InMemoryIndex.Row(rowId, record.Title, record.Text, record.Embedding));
                }
            }
            var generation = await SqliteIndexStore.BumpGenerationAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _store.Committed(generation);
            _store.Memory.Apply(replaced, added);
            _store.Changed();
            return true;
        }, cancellationToken);
    }

    public override async Task<Dictionary<long, ChunkRecord>> LoadAsync(IReadOnlyList<long> rowIds, bool includeVectors, CancellationToken cancellationToken)
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
