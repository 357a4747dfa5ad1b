namespace ChatBot.Core.Conversation.Controls;

/// <summary>
/// One question answered through a platform: when, where, how long it took, whether it was declined, the articles the
/// reply cited (for a decline, the related reading: the closest article) and the question itself, which is null when
/// <c>ChatBot:Conversations:StoreQuestions</c> is off.
/// </summary>
public sealed record LoggedQuestion(DateTimeOffset At, string Platform, double LatencyMs, bool Declined, string? Question, IReadOnlyList<string> Cited);

/// <summary>What the operator console reads about questions; shared by every replica of one database.</summary>
public interface IQuestionLog
{
    Task RecordAsync(LoggedQuestion question, CancellationToken cancellationToken);

    /// <summary>The questions asked since <paramref name="since"/>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<LoggedQuestion>> ReadAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the text of questions older than <paramref name="before"/>; the counts stay.</summary>
    Task ForgetTextAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
