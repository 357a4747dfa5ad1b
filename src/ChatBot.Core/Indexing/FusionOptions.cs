using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Indexing;

/// <summary>How the keyword and vector rankings are combined in hybrid search.</summary>
public sealed class FusionOptions
{
    public const string SectionName = "ChatBot:Retrieval:Fusion";

    /// <summary><c>Weighted</c> (scores scaled to [0, 1] and summed with the weights) or <c>Rrf</c> (reciprocal-rank fusion).</summary>
    [RegularExpression("^(?i:weighted|rrf)$", ErrorMessage = "ChatBot:Retrieval:Fusion:Method must be 'Weighted' or 'Rrf'.")]
    public string Method { get; set; } = "Weighted";

    public bool UsesRrf => string.Equals(Method, "rrf", StringComparison.OrdinalIgnoreCase);

    /// <summary>The RRF constant: larger values flatten the advantage of the very first ranks.</summary>
    [Range(1, 1000)]
    public double RrfK { get; set; } = 60;

    [Range(0, 10)]
    public double KeywordWeight { get; set; } = 1.0;

    /// <summary>
    /// Weight of vector similarity next to the lexical ranking (which counts 1). Empty: 0 with the offline hashing
    /// embedder, whose vectors carry the lexical signal again (measured: its learned weight is nil), 1 with a model.
    /// </summary>
    [Range(0, 10)]
    public double? VectorWeight { get; set; }

    public double EffectiveVectorWeight(Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? embedder) =>
        VectorWeight ?? (embedder is null or Ingestion.Embeddings.HashingEmbeddingGenerator ? 0 : 1);

    /// <summary>How deep each ranking is read before fusing.</summary>
    [Range(10, 1000)]
    public int CandidateDepth { get; set; } = 60;
}
