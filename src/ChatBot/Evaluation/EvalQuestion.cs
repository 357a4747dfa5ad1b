using System.Text.Json.Serialization;

namespace ChatBot.Evaluation;

/// <summary>
/// One evaluation item. Retrieval sets (PIAF) give <c>gold</c>, the id of the paragraph that answers; answer sets give
/// <c>gold_articles</c> (empty: the corpus does not answer, the bot must decline) and <c>expect_any</c>.
/// </summary>
public sealed class EvalQuestion
{
    [JsonPropertyName("question")]
    public string Question { get; set; } = "";

    [JsonPropertyName("gold")]
    public string? Gold { get; set; }

    [JsonPropertyName("gold_articles")]
    public List<string>? GoldArticles { get; set; }

    [JsonPropertyName("expect_any")]
    public List<string>? ExpectAny { get; set; }
}
