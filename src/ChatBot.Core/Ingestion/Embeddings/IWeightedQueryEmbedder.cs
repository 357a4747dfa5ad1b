namespace ChatBot.Core.Ingestion.Embeddings;

/// <summary>
/// An embedder that can weigh the parts of a query (by rarity in the corpus), so that its dot product ranks like
/// TF-IDF. Lexical embedders gain from it; a neural encoder embeds the question whole instead.
/// </summary>
public interface IWeightedQueryEmbedder
{
    float[] EmbedWeighted(IEnumerable<(string Text, float Weight)> parts);
}
