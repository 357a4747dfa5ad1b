using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using ChatBot.Core.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace ChatBot.Postgres;

/// <summary>
/// The chunks of a <see cref="PostgresIndexStore"/> through Microsoft.Extensions.VectorData. Vector search is exact,
/// over the replica's in-memory vectors (<see cref="IndexChunkCollection.NearestAsync"/> is where pgvector's HNSW
/// would plug in); the lexical side is BM25 computed in SQL over the <c>french</c> tsvector, with the GIN index
/// selecting the candidates.
/// </summary>
public sealed class PostgresChunkCollection : IndexChunkCollection
{
    internal const string Columns = "id, key, article_id, ordinal, start_offset, end_offset, title, text, embedding";

    private readonly PostgresIndexStore _store;

    internal PostgresChunkCollection(PostgresIndexStore store, FusionOptions fusion, IEmbeddingGenerator<string, Embedding<float>>? generator)
        : base(fusion, generator) => _store = store;

    protected override VectorIndex Vectors => _store.Vectors;

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

    /// <summary>
    /// BM25 over the <c>french</c> lexemes of the keywords (any may match): the GIN index finds the chunks holding a
    /// lexeme and counts them (document frequency); term frequencies come from the tsvector's positions, and the
    /// length normalisation from the analyser's term count per chunk.
    /// </summary>
    protected override async Task<List<(long Id, double Score)>> KeywordSearchAsync(IEnumerable<string> keywords, int top, CancellationToken cancellationToken)
    {
        var ranking = new List<(long, double)>();
        var text = string.Join(' ', keywords);
        if (string.IsNullOrWhiteSpace(text))
            return ranking;
        await using var command = _store.Data.CreateCommand("""
            WITH lexemes AS (
                SELECT DISTINCT lexeme, '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''' AS quoted
                FROM unnest(to_tsvector('french'::regconfig, chatbot_fold(@text)))),
            weights AS (
                SELECT l.lexeme, greatest(ln(((SELECT chunks FROM corpus_stats) - d.df + 0.5) / (d.df + 0.5)), 1e-6) AS idf
                FROM lexemes l
                CROSS JOIN LATERAL (SELECT count(*)::float8 AS df FROM chunks WHERE tsv @@ l.quoted::tsquery) d
                WHERE d.df > 0),
            query AS (
                SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery AS q FROM weights)
            -- BM25 with FTS5's constants: k1 = 1.2, b = 0.75.
            SELECT c.id, sum(w.idf * (t.tf * 2.2) / (t.tf + 1.2 * (0.25 + 0.75 * c.term_count / (SELECT greatest(terms::float8 / greatest(chunks, 1), 1) FROM corpus_stats)))) AS score
            FROM query, chunks c
            CROSS JOIN LATERAL (SELECT u.lexeme, coalesce(array_length(u.positions, 1), 1)::float8 AS tf FROM unnest(c.tsv) u) t
            JOIN weights w ON w.lexeme = t.lexeme
            WHERE c.tsv @@ query.q
            GROUP BY c.id
            ORDER BY score DESC, c.id
            LIMIT @top
            """);
        command.Parameters.AddWithValue("text", text);
        command.Parameters.AddWithValue("top", top);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            ranking.Add((reader.GetInt64(0), reader.GetDouble(1)));
        return ranking;
    }

    protected override async Task<Dictionary<long, ChunkRecord>> LoadAsync(IReadOnlyList<long> rowIds, bool includeVectors, CancellationToken cancellationToken)
    {
        if (rowIds.Count == 0)
            return [];
        await using var command = _store.Data.CreateCommand($"SELECT {Columns} FROM chunks WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", rowIds.ToArray());
        return (await ChunkRows.ReadAllAsync(command, includeVectors, ReadVector, cancellationToken)).ToDictionary(r => r.RowId, r => r.Record);
    }

    internal static async Task<List<ChunkRecord>> ReadAllAsync(NpgsqlCommand command, bool includeVectors, CancellationToken cancellationToken) =>
        (await ChunkRows.ReadAllAsync(command, includeVectors, ReadVector, cancellationToken)).Select(r => r.Record).ToList();

    private static float[] ReadVector(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetFieldValue<float[]>(ordinal);
}
