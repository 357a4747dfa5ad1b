using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Answering.Chat;

/// <summary>Where a message came from: the platform's own ids, as strings, for history keys, logs and (later) quotas.</summary>
public sealed record ChatOrigin(string Platform, string ChatId, string UserId, string? ThreadId = null)
{
    /// <summary>The Discord server (guild), when there is one.</summary>
    public string? GuildId { get; init; }
}

/// <summary>One earlier exchange of the conversation a follow-up belongs to.</summary>
public sealed record ChatTurn(string Question, string Answer)
{
    /// <summary>Ids of the articles the answer cited.</summary>
    public IReadOnlyList<string> Citations { get; init; } = [];

    /// <summary>The turns as prompts show them ("Q: …" / "A: …"), or "(none)".</summary>
    public static string Transcript(IReadOnlyList<ChatTurn> history) =>
        history.Count == 0 ? "(none)" : string.Join("\n", history.Select(t => $"Q: {t.Question}\nA: {t.Answer}"));
}

/// <summary>A question as the core sees it, whichever platform (or the command line) it came from.</summary>
public sealed record ChatRequest(string Question)
{
    /// <summary>Earlier turns of this conversation, oldest first (a reply to the bot's answer continues it).</summary>
    public IReadOnlyList<ChatTurn> History { get; init; } = [];

    public ChatOrigin? Origin { get; init; }

    /// <summary>Reply language; detected from the question when null.</summary>
    public Language? Language { get; init; }

    /// <summary>Passages to retrieve; the configured default when null.</summary>
    public int? TopK { get; init; }
}

/// <summary>One cited article: <c>[N]</c> in the answer text refers to it, with the sentence that supports the claim.</summary>
public sealed record Citation(int N, string ArticleId, string Title, string? Source, DateOnly? Published, string? Url, string Quote);

/// <summary>
/// A short answer before the rival check (<see cref="Answering.AnswerOptions.BoldRivalRatio"/>): its text and how close
/// the best sentence giving a different answer of the same kind came (its score as a share of the lead's; 0 when none).
/// </summary>
public sealed record BoldCheck(string Answer, double Rival);

public sealed record ReplyTimings(double RetrievalMs, double TotalMs)
{
    /// <summary>For replies that searched nothing (help, lists, refusals).</summary>
    public static ReplyTimings None { get; } = new(0, 0);
}

/// <summary>
/// The core's answer: text with <c>[n]</c> markers, the citations they refer to, and whether it is grounded in the
/// corpus (a declined question has no citation). Adapters render it; they never change what it says.
/// </summary>
public sealed record ChatReply(
    string Text,
    bool Grounded,
    IReadOnlyList<Citation> Citations,
    Language Language,
    IReadOnlyList<string> Notes,
    ReplyTimings Timings)
{
    /// <summary>A reply that is not an answer from the corpus: a message, a list, a refusal; nothing cited, nothing timed.</summary>
    public static ChatReply Plain(string text, Language language) => new(text, false, [], language, [], ReplyTimings.None);

    /// <summary>The corpus does not answer the question: a decline, or related reading offered instead of an answer.</summary>
    public bool Declined { get; init; }

    /// <summary>The answer in a few words (a name, a date, a quantity), which <see cref="Text"/> leads with in bold (<c>**…**</c>).</summary>
    public string? ShortAnswer { get; init; }

    /// <summary>
    /// The short answer the extractive generator found before it checked for a rival, and the rival's score as a
    /// share of the lead sentence's: <c>eval</c> chooses the rival threshold by cross-validation from it.
    /// </summary>
    public BoldCheck? BoldCheck { get; init; }

    /// <summary>
    /// The text already names every cited article (title, source, date), as the extractive digest's entries do: the
    /// adapters then add no Sources block, which would list the same titles a second time.
    /// </summary>
    public bool SourcesInText { get; init; }
}
