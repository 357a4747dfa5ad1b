using System.Text.Json;
using ChatBot.Ai.Embeddings;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Ai;

/// <summary>
/// Parity with the PyTorch/transformers reference of the tiny-bert fixture (random weights: it checks the pipeline,
/// not meaning): same token ids, embeddings within 1e-4, batched and one-by-one alike.
/// </summary>
public sealed class OnnxParityTests : IDisposable
{
    private static readonly string Folder = Path.Combine(Fixture.Root, "tiny-bert");
    private readonly OnnxEmbeddingGenerator _embedder = new(new OnnxEmbedderSettings(Folder, MaxTokens: 128));

    public sealed record ReferenceCase(string Text, int[] InputIds, float[] Embedding);

    public static TheoryData<int> CaseNumbers => new(Enumerable.Range(0, Cases().Count));

    private static List<ReferenceCase> Cases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "reference.json")));
        return json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(
            c.GetProperty("text").GetString()!,
            c.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            c.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray())).ToList();
    }

    [Fact]
    public void The_fixture_has_the_twelve_reference_cases_including_the_edge_ones()
    {
        var cases = Cases();

        Assert.Equal(12, cases.Count);
        Assert.Contains(cases, c => c.Text.Length == 0);
        Assert.Contains(cases, c => c.InputIds.Length == 128);
    }

    [Theory]
    [MemberData(nameof(CaseNumbers))]
    public void Token_ids_match_the_reference(int number)
    {
        var reference = Cases()[number];

        Assert.Equal(reference.InputIds, _embedder.Tokenize(reference.Text));
    }

    [Theory]
    [MemberData(nameof(CaseNumbers))]
    public async Task Embeddings_match_the_reference_within_1e_4(int number)
    {
        var reference = Cases()[number];

        var vector = (await _embedder.GenerateAsync([reference.Text], cancellationToken: TestContext.Current.CancellationToken))[0].Vector.ToArray();

        Assert.Equal(64, vector.Length);
        for (var i = 0; i < vector.Length; i++)
            Assert.True(Math.Abs(vector[i] - reference.Embedding[i]) <= 1e-4, $"component {i}: {vector[i]} vs {reference.Embedding[i]}");
    }

    [Fact]
    public async Task Batched_and_one_by_one_results_agree()
    {
        var texts = Cases().Select(c => c.Text).ToList();

        var batched = await _embedder.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);
        for (var i = 0; i < texts.Count; i++)
        {
            var single = (await _embedder.GenerateAsync([texts[i]], cancellationToken: TestContext.Current.CancellationToken))[0].Vector.ToArray();
            var fromBatch = batched[i].Vector.ToArray();
            for (var d = 0; d < single.Length; d++)
                Assert.True(Math.Abs(single[d] - fromBatch[d]) <= 1e-5, $"text {i}, component {d}");
        }
    }

    public void Dispose() => _embedder.Dispose();
}
