using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Ai;

public sealed class AiOptions
{
    public const string SectionName = "ChatBot:Ai";

    /// <summary><c>None</c>: extractive answers, no network.</summary>
    [Required]
    [RegularExpression("^(?i:none)$", ErrorMessage = "ChatBot:Ai:Provider must be 'None' in this build.")]
    public string Provider { get; set; } = "None";

    /// <summary><c>Hashing</c>: the offline embedder, no model file.</summary>
    [Required]
    [RegularExpression("^(?i:hashing)$", ErrorMessage = "ChatBot:Ai:Embedder must be 'Hashing' in this build.")]
    public string Embedder { get; set; } = "Hashing";

    /// <summary>Dimensions of the hashing embedder. Changing it re-embeds the corpus.</summary>
    [Range(32, 4096)]
    public int HashingDimensions { get; set; } = 384;
}
