using System.Text.Json;

namespace ChatBot.Evaluation;

/// <summary>
/// One evaluation item. Retrieval sets (PIAF) give <c>gold</c>, the id of the paragraph that answers (null: the corpus
/// does not, the bot must decline), and <c>answers</c>, the answer strings as written in it; answer sets give
/// <c>gold_articles</c> (empty: the bot must decline) and <c>expect_any</c>.
/// </summary>
public sealed record EvalQuestion(string Question, bool HasGold, string? Gold, IReadOnlyList<string> Answers, IReadOnlyList<string>? GoldArticles, IReadOnlyList<string> ExpectAny)
{
    /// <summary>The item's <c>id</c>, when it has one (PIAF's question ids).</summary>
    public string? Id { get; init; }

    public static List<EvalQuestion> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new JsonException("The questions file must hold a JSON array.");
        var items = new List<EvalQuestion>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var question = item.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : throw new JsonException($"Item {items.Count + 1} has no \"question\".");
            var hasGold = item.TryGetProperty("gold", out var gold);
            items.Add(new EvalQuestion(
                question,
                hasGold,
                hasGold && gold.ValueKind == JsonValueKind.String ? gold.GetString() : null,
                Strings(item, "answers"),
                item.TryGetProperty("gold_articles", out _) ? Strings(item, "gold_articles") : null,
                Strings(item, "expect_any"))
            {
                Id = item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
            });
        }
        return items;
    }

    private static List<string> Strings(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];
}
