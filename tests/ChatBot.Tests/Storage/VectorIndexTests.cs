using ChatBot.Core.Indexing;

namespace ChatBot.Tests.Storage;

public sealed class VectorIndexTests
{
    /// <summary>3,000 vectors fit one segment; 50,000 span thirteen and are scanned on every core.</summary>
    [Theory]
    [InlineData(3_000)]
    [InlineData(50_000)]
    public void Top_k_equals_a_brute_force_ranking_after_updates_and_removals(int count)
    {
        var random = new Random(7);
        const int dims = 24;
        using var index = new VectorIndex(dims);
        var vectors = new Dictionary<long, float[]>();
        for (long id = 0; id < count; id++)
        {
            var v = Enumerable.Range(0, dims).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            vectors[id] = v;
            index.Upsert(id, v);
        }
        for (long id = 0; id < count; id += 3)
        {
            index.Remove(id);
            vectors.Remove(id);
        }
        vectors[1] = Enumerable.Repeat(0.2f, dims).ToArray();
        index.Upsert(1, vectors[1]);
        var query = Enumerable.Range(0, dims).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        var expected = vectors.OrderByDescending(p => p.Value.Zip(query, (a, b) => a * b).Sum()).Take(10).Select(p => p.Key);
        var actual = index.Search(query, 10).Select(h => h.Id);

        Assert.Equal(expected, actual);
        Assert.Equal(vectors.Count, index.Count);
    }
}
