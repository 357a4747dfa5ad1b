using System.Numerics.Tensors;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Ingestion.Embeddings;
using Microsoft.Extensions.AI;

namespace ChatBot.Tests.Embeddings;

public sealed class HashingEmbeddingGeneratorTests
{
    private static readonly HashingEmbeddingGenerator Embedder = new(TextAnalyzer.Shared, 384);

    private static float[] Embed(string text) => Embedder.Embed(text);

    private static float Similarity(string a, string b) => TensorPrimitives.Dot(Embed(a), Embed(b));

    [Fact]
    public async Task It_is_an_IEmbeddingGenerator_with_stated_dimensions()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = Embedder;

        var embeddings = await generator.GenerateAsync(["Moscou", "Téhéran"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(384, e.Vector.Length));
        Assert.Equal(384, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public void Vectors_are_deterministic_and_unit_length()
    {
        var first = Embed("La Russie livre des S-300 à l'Iran.");
        var second = new HashingEmbeddingGenerator(TextAnalyzer.Shared, 384).Embed("La Russie livre des S-300 à l'Iran.");

        Assert.Equal(first, second);
        Assert.Equal(1f, TensorPrimitives.Norm(first), 4);
    }

    [Fact]
    public void Case_accents_elisions_and_inflections_do_not_change_the_meaning()
    {
        Assert.True(Similarity("l'Iran et les sanctions économiques", "IRAN SANCTION ECONOMIQUE") > 0.8f);
        Assert.True(Similarity("les ministres iraniens", "le ministre iranien") > 0.8f);
    }

    [Fact]
    public void Related_text_is_closer_than_unrelated_text()
    {
        var question = "Quelles technologies militaires Moscou fournit-elle à Téhéran ?";
        var related = "Moscou fournit à Téhéran des technologies militaires, notamment des systèmes de guerre électronique.";
        var unrelated = "La recette de la tarte aux pommes demande du beurre et de la farine.";

        Assert.True(Similarity(question, related) > Similarity(question, unrelated) + 0.3f);
    }

    [Fact]
    public void Character_ngrams_bring_misspellings_close()
    {
        Assert.True(Similarity("le guide Khamenei", "le guide Khameney") > Similarity("le guide Khamenei", "le guide Rohani") + 0.05f);
    }
}
