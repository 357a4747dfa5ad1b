using System.ComponentModel.DataAnnotations;
using ChatBot.Core.Ingestion.Embeddings;
using Microsoft.Extensions.AI;

namespace ChatBot.Core.Retrieval;

/// <summary>How vector neighbours join the lexical candidates.</summary>
public sealed class FusionOptions
{
    public const string SectionName = "ChatBot:Retrieval:Fusion";

    /// <summary>
    /// Weight of vector similarity next to the lexical ranking (which counts 1). Empty: 0 with the offline hashing
    /// embedder, whose vectors carry the lexical signal again (measured: its learned weight is nil), 1 with a model.
    /// </summary>
    [Range(0, 10)]
    public double? VectorWeight { get; set; }

    public double EffectiveVectorWeight(IEmbeddingGenerator<string, Embedding<float>>? embedder) =>
        VectorWeight ?? (embedder is null or HashingEmbeddingGenerator ? 0 : 1);

    /// <summary>Whether any search reads vectors: the index loads them at start-up only then (else on the first vector search).</summary>
    public bool VectorsSearched(IEmbeddingGenerator<string, Embedding<float>>? embedder) => EffectiveVectorWeight(embedder) > 0;
}
