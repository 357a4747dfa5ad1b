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
    /// Share (0–1) of the question's weight that the best passage (with its title) must hold for an answer; below it,
    /// or when it lacks one of the question's names, the bot says the corpus does not say it. Words weigh by rarity;
    /// a word the corpus never uses weighs most. Calibrated on the PIAF holes sets (see README).
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.41;

    /// <summary>
    /// Below this share the question is not about the corpus at all and the decline cites nothing; between it and
    /// <see cref="MinCoverage"/> the closest passage is offered as related reading.
    /// </summary>
    [Range(0.0, 1.0)]
    public double RelatedReadingCoverage { get; set; } = 0.15;

    /// <summary>
    /// Also decline (with related reading) when the question holds a French word of six letters or more that the corpus
    /// never uses. Off by default: on the PIAF holes sets it declines 11 % more of the unanswerable questions but 3 % of
    /// the answerable ones too (paraphrases, typos), past the 4 % a bot may decline of what it could answer.
    /// </summary>
    public bool DeclineOnUnknownWords { get; set; }

    /// <summary>Candidates (chunks) of the first ranking the reranker reorders.</summary>
    [Range(5, 500)]
    public int RerankDepth { get; set; } = 50;
}
