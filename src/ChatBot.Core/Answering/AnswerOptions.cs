using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Answering;

public sealed class AnswerOptions
{
    public const string SectionName = "ChatBot:Answer";

    /// <summary>Longer questions are cut to this length (with a note in the reply) before retrieval.</summary>
    [Range(50, 100_000)]
    public int MaxQuestionChars { get; set; } = 2000;

    /// <summary>
    /// The question as answered and as stored: cut at a word before <see cref="MaxQuestionChars"/>. A 10 MB message is
    /// answered on its first 2,000 characters and never written whole to the question log or the conversations.
    /// </summary>
    public string Cut(string question)
    {
        var max = MaxQuestionChars;
        if (question.Length <= max)
            return question;
        var cut = question.LastIndexOf(' ', max - 1);
        return question[..(cut > max / 2 ? cut : max)];
    }

    /// <summary>Upper bound for the answer text of the extractive generator (sources excluded).</summary>
    [Range(100, 4000)]
    public int MaxAnswerChars { get; set; } = 700;

    /// <summary>
    /// The extractive short answer is bold only when no other sentence scoring at least this share of the quoted one
    /// gives a different answer of the kind asked for: two places, two dates, two counts make the bold a guess, and a
    /// wrong bold misleads more than none. Chosen by <c>eval</c> on PIAF dev with cross-validation grouped by article
    /// (the most bold answers whose precision stays at or above 0.90 on the other folds: 0.89 held out, at 1.5 % of
    /// questions); larger values bold more often, and less surely.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double BoldRivalRatio { get; set; } = 0.4;

    /// <summary>Most sentences the extractive generator quotes.</summary>
    [Range(1, 10)]
    public int MaxQuotes { get; set; } = 3;
}
