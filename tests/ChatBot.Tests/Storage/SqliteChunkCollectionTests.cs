using ChatBot.Core.Storage;
using ChatBot.Core.Storage.Sqlite;
using ChatBot.Core.Text;
using ChatBot.Tests.Support;
using Microsoft.Extensions.VectorData;

namespace ChatBot.Tests.Storage;

/// <summary>The store seen only through Microsoft.Extensions.VectorData, on a real SQLite file.</summary>
public sealed class SqliteChunkCollectionTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private SqliteIndexStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteIndexStore(_folder.Combine("index.db"), TextAnalyzer.Shared, TimeProvider.System, new FusionOptions());
        await _store.OpenAsync("test/unit", 3, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    private static ChunkRecord Chunk(string key, string text, params float[] vector) =>
        new() { Key = key, ArticleId = key.Split('#')[0], Ordinal = int.Parse(key.Split('#')[1], System.Globalization.CultureInfo.InvariantCulture), Title = "Titre", Text = text, End = text.Length, Embedding = Normalise(vector) };

    private static float[] Normalise(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    [Fact]
    public async Task Upsert_get_and_delete_by_key()
    {
        VectorStoreCollection<string, ChunkRecord> chunks = _store.Chunks;
        await chunks.UpsertAsync(Chunk("a#0", "Les sanctions visent Moscou.", 1, 0, 0), Ct);
        await chunks.UpsertAsync(Chunk("a#0", "Les sanctions visent Téhéran.", 1, 0, 0), Ct);

        var stored = await chunks.GetAsync("a#0", new RecordRetrievalOptions { IncludeVectors = true }, Ct);
        Assert.NotNull(stored);
        Assert.Equal("Les sanctions visent Téhéran.", stored.Text);
        Assert.Equal(3, stored.Embedding.Length);

        await chunks.DeleteAsync("a#0", Ct);
        Assert.Null(await chunks.GetAsync("a#0", cancellationToken: Ct));
        Assert.Equal(0, _store.Vectors.Count);
    }

    [Fact]
    public async Task Vector_search_ranks_by_cosine_and_applies_filters()
    {
        var chunks = _store.Chunks;
        await chunks.UpsertAsync([Chunk("a#0", "un", 1, 0, 0), Chunk("b#0", "deux", 0.9f, 0.1f, 0), Chunk("c#0", "trois", 0, 0, 1)], Ct);

        var all = await chunks.SearchAsync(new[] { 1f, 0, 0 }, 3, cancellationToken: Ct).ToListAsync(Ct);
        var filtered = await chunks.SearchAsync(new[] { 1f, 0, 0 }, 3, new VectorSearchOptions<ChunkRecord> { Filter = r => r.ArticleId != "a" }, Ct).ToListAsync(Ct);

        Assert.Equal(["a#0", "b#0", "c#0"], all.Select(r => r.Record.Key));
        Assert.Equal(1.0, all[0].Score!.Value, 5);
        Assert.Equal(["b#0", "c#0"], filtered.Select(r => r.Record.Key));
    }

    [Fact]
    public async Task Hybrid_search_finds_keyword_matches_the_vectors_miss()
    {
        IKeywordHybridSearchable<ChunkRecord> hybrid = _store.HybridSearch;
        await _store.Chunks.UpsertAsync([
            Chunk("a#0", "Le porte-parole a parlé de la météo.", 1, 0, 0),
            Chunk("b#0", "Les batteries antiaériennes S-300 ont été livrées.", 0, 1, 0),
            Chunk("c#0", "Un texte sans rapport.", 0, 0, 1),
        ], Ct);

        var results = await hybrid.HybridSearchAsync(new[] { 1f, 0, 0 }, ["batteries", "antiaériennes"], 2, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("b#0", results[0].Record.Key);
        Assert.Contains(results, r => r.Record.Key == "a#0");
    }

    [Fact]
    public async Task Keyword_search_matches_across_accents_case_plurals_and_elisions()
    {
        await _store.Chunks.UpsertAsync([Chunk("a#0", "L'Iran a livré des drones aux Houthis.", 1, 0, 0), Chunk("b#0", "Rien à voir ici.", 0, 1, 0)], Ct);

        var results = await _store.HybridSearch.HybridSearchAsync(new[] { 0f, 0, 1 }, ["IRAN", "drone", "livre"], 1, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("a#0", Assert.Single(results).Record.Key);
    }

    [Fact]
    public async Task Vectors_of_the_wrong_dimension_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.Chunks.UpsertAsync(Chunk("a#0", "x", 1, 0), Ct));
    }

    [Fact]
    public async Task Term_statistics_count_chunks_per_term()
    {
        await _store.Chunks.UpsertAsync([Chunk("a#0", "Moscou et Téhéran.", 1, 0, 0), Chunk("b#0", "Moscou seule.", 0, 1, 0)], Ct);

        var stats = await _store.GetTermStatisticsAsync(["moscou", "teheran", "brasilia"], Ct);

        Assert.Equal(2, stats.DocumentCount);
        Assert.Equal((2, 1, 0), (stats.DocumentFrequency["moscou"], stats.DocumentFrequency["teheran"], stats.DocumentFrequency["brasilia"]));
    }
}
