using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Answering;

public sealed class AnswerOptions
{
    public const string SectionName = "ChatBot:Answer";

    /// <summary>Longer questions are cut to this length (with a note in the reply) before retrieval.</summary>
    [Range(50, 100_000)]
    public int MaxQuestionChars { get; set; } = 2000;

    /// <summary>Upper bound for the answer text of the extractive generator (sources excluded).</summary>
    [Range(100, 4000)]
    public int MaxAnswerChars { get; set; } = 700;

    /// <summary>Most sentences the extractive generator quotes.</summary>
    [Range(1, 10)]
    public int MaxQuotes { get; set; } = 3;
}
