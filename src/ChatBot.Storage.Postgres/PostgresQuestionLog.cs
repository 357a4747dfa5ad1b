using ChatBot.Core.Conversation.Controls;

namespace ChatBot.Storage.Postgres;

/// <summary>The question log in the shared database (table <c>questions</c>): every replica's console sees every replica's questions.</summary>
public sealed class PostgresQuestionLog(PostgresDatabase store) : IQuestionLog
{
    public Task RecordAsync(LoggedQuestion question, CancellationToken cancellationToken) =>
        store.ExecuteAsync("INSERT INTO questions (at, platform, latency_ms, declined, question, cited) VALUES (@At, @Platform, @LatencyMs, @Declined, @Question, @Cited)",
            question, cancellationToken);

    public Task<IReadOnlyList<LoggedQuestion>> ReadAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        store.QueryAsync<LoggedQuestion>(
            "SELECT at, platform, latency_ms AS latencyms, declined, question, cited FROM questions WHERE at >= @since ORDER BY at DESC, id DESC LIMIT @limit",
            new { since, limit }, cancellationToken);

    public Task ForgetTextAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("UPDATE questions SET question = NULL WHERE at < @before AND question IS NOT NULL", new { before }, cancellationToken);
}
