using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Retrieval;

public sealed class RetrievalOptions
{
    public const string SectionName = "ChatBot:Retrieval";

    /// <summary>Passages handed to the answer generator.</summary>
    [Range(1, 50)]
    public int TopK { get; set; } = 5;

    /// <summary>At most this many chunks of one article among the passages, so one article cannot crowd out the rest.</summary>
    [Range(1, 20)]
    public int MaxChunksPerArticle { get; set; } = 2;

    /// <summary>Chunks before and after a hit that are joined to it for context.</summary>
    [Range(0, 5)]
    public int NeighbourChunks { get; set; } = 1;

    /// <summary>
    /// Share (0–1) of the question's weighted terms that the best passage must contain for an answer; below it the bot
    /// says the corpus does not cover the question. Terms are weighted by rarity; words unknown to the corpus weigh most.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.35;

    /// <summary>Fused candidates (chunks) the reranker reorders.</summary>
    [Range(5, 500)]
    public int RerankDepth { get; set; } = 40;

    /// <summary>Weight of the chunk's coverage of the question in the rerank score (the fused score counts 1).</summary>
    [Range(0.0, 10.0)]
    public double RerankChunkCoverageWeight { get; set; } = 0.5;

    /// <summary>Weight of the best sentence's coverage of the question in the rerank score.</summary>
    [Range(0.0, 10.0)]
    public double RerankSentenceCoverageWeight { get; set; } = 1.0;
}
