using System.Runtime.CompilerServices;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace ChatBot.Core.Indexing;

/// <summary>
/// What every index store's chunk collection shares: vector search, keyword-hybrid search with score fusion, filters
/// evaluated in memory on the candidates, and the search inputs accepted (text through the embedder, or a vector),
/// all over the store's <see cref="InMemoryIndex"/>. A store supplies the loading of records by row id; one with a
/// native vector index (pgvector's HNSW, say) overrides <see cref="NearestAsync"/>.
/// </summary>
public abstract class IndexChunkCollection : VectorStoreCollection<string, ChunkRecord>, IKeywordHybridSearchable<ChunkRecord>
{
    private readonly FusionOptions _fusion;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _generator;

    protected IndexChunkCollection(FusionOptions fusion, IEmbeddingGenerator<string, Embedding<float>>? generator)
    {
        _fusion = fusion;
        _generator = generator;
    }

    public override string Name => "chunks";

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The in-memory index this collection searches, keyed by the store's row ids.</summary>
    protected abstract InMemoryIndex Memory { get; }

    private VectorIndex Vectors => Memory.Vectors;

    /// <summary>The lexical ranking of the chunks that match any of the keywords (each keyword one concept), best first.</summary>
    private List<(long Id, double Score)> KeywordSearch(IEnumerable<string> keywords, int top)
    {
        var query = LexicalQuery.FromText(string.Join(' ', keywords), Memory.Lexical.Analysers);
        return Memory.Lexical.Search(query, top).Select(h => (h.Id, h.Score)).ToList();
    }

    /// <summary>The records with these row ids (missing ones are left out).</summary>
    public abstract Task<Dictionary<long, ChunkRecord>> LoadAsync(IReadOnlyList<long> rowIds, bool includeVectors, CancellationToken cancellationToken);

    /// <summary>Loads the vectors into memory if they are not yet (see <see cref="InMemoryIndex.VectorsLoaded"/>).</summary>
    protected abstract ValueTask EnsureVectorsAsync(CancellationToken cancellationToken);

    /// <summary>The seam for a native vector index: the <paramref name="top"/> nearest row ids with their cosine.</summary>
    public virtual async ValueTask<List<(long Id, float Score)>> NearestAsync(ReadOnlyMemory<float> query, int top, CancellationToken cancellationToken)
    {
        await EnsureVectorsAsync(cancellationToken);
        return Vectors.Search(query.Span, top);
    }

    public override async IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var vector = await ToVectorAsync(searchValue, cancellationToken);
        var skip = options?.Skip ?? 0;
        var depth = options?.Filter is null ? top + skip : Math.Max((top + skip) * 10, _fusion.CandidateDepth);
        var hits = await NearestAsync(vector, depth, cancellationToken);
        var records = await LoadAsync(hits.Select(h => h.Id).ToList(), options?.IncludeVectors ?? false, cancellationToken);
        var predicate = options?.Filter?.Compile();
        var results = hits
            .Where(h => records.ContainsKey(h.Id) && (predicate is null || predicate(records[h.Id])))
            .Skip(skip)
            .Take(top);
        foreach (var (id, score) in results)
            yield return new VectorSearchResult<ChunkRecord>(records[id], score);
    }

    public async IAsyncEnumerable<VectorSearchResult<ChunkRecord>> HybridSearchAsync<TInput>(
        TInput searchValue, ICollection<string> keywords, int top, HybridSearchOptions<ChunkRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        var vector = await ToVectorAsync(searchValue, cancellationToken);
        var depth = Math.Max(_fusion.CandidateDepth, (top + (options?.Skip ?? 0)) * 2);
        var lexical = KeywordSearch(keywords, depth);
        var semantic = (await NearestAsync(vector, depth, cancellationToken)).Select(h => (h.Id, (double)h.Score)).ToList();
        var fused = _fusion.UsesRrf
            ? RankFusion.Reciprocal(lexical.Select(h => h.Id).ToList(), semantic.Select(h => h.Id).ToList(), _fusion.RrfK, _fusion.KeywordWeight, _fusion.EffectiveVectorWeight(_generator))
            : RankFusion.Weighted(lexical, semantic, _fusion.KeywordWeight, _fusion.EffectiveVectorWeight(_generator));

        var predicate = options?.Filter?.Compile();
        var candidates = predicate is null ? fused.Take(top + (options?.Skip ?? 0)).ToList() : fused;
        var records = await LoadAsync(candidates.Select(c => c.Id).ToList(), options?.IncludeVectors ?? false, cancellationToken);
        var results = candidates
            .Where(c => records.ContainsKey(c.Id) && (predicate is null || predicate(records[c.Id])))
            .Skip(options?.Skip ?? 0)
            .Take(top);
        foreach (var (id, score) in results)
            yield return new VectorSearchResult<ChunkRecord>(records[id], score);
    }

    /// <summary>Refuses a batch with a vector of another dimension than the index's, before anything is written.</summary>
    protected void CheckDimensions(IEnumerable<ChunkRecord> records) => IndexChanges.EnsureDimensions(records, Vectors.Dimensions);

    private async Task<ReadOnlyMemory<float>> ToVectorAsync<TInput>(TInput value, CancellationToken cancellationToken) => value switch
    {
        ReadOnlyMemory<float> memory => memory,
        float[] array => array,
        Embedding<float> embedding => embedding.Vector,
        string text when _generator is not null => (await _generator.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector,
        string => throw new NotSupportedException("This collection was created without an embedding generator; search with a vector."),
        _ => throw new NotSupportedException($"Search input of type {typeof(TInput).Name} is not supported; use a string, float[], ReadOnlyMemory<float> or Embedding<float>."),
    };

    /// <summary>The store behind the collection, for callers that need more than the VectorData contract.</summary>
    protected abstract object Store { get; }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType.IsInstanceOfType(Store) ? Store
        : null;
}
