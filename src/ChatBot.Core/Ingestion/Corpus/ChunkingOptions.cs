using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Ingestion.Corpus;

public sealed class ChunkingOptions
{
    public const string SectionName = "ChatBot:Chunking";

    /// <summary>Chunks grow sentence by sentence up to this many characters (a longer single sentence stays whole).</summary>
    [Range(200, 8000)]
    public int TargetChars { get; set; } = 900;

    /// <summary>Sentences repeated at the start of the next chunk, so an answer spanning a boundary is still found.</summary>
    [Range(0, 5)]
    public int OverlapSentences { get; set; } = 1;
}
