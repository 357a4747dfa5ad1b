using ChatBot.Core.Conversation.Controls;

namespace ChatBot.Storage.Sqlite;

/// <summary>The question log in the index file (table <c>questions</c>).</summary>
public sealed class SqliteQuestionLog(SqliteDatabase store) : IQuestionLog
{
    public Task RecordAsync(LoggedQuestion question, CancellationToken cancellationToken) =>
        store.ExecuteAsync("INSERT INTO questions (at, platform, latency_ms, declined, question, cited) VALUES ($at, $p, $ms, $d, $q, $c)", cancellationToken,
            ("$at", SqliteValues.Instant(question.At)), ("$p", question.Platform), ("$ms", question.LatencyMs), ("$d", question.Declined ? 1 : 0),
            ("$q", question.Question), ("$c", string.Join('\n', question.Cited)));

    public async Task<IReadOnlyList<LoggedQuestion>> ReadAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.Command("SELECT at, platform, latency_ms, declined, question, cited FROM questions WHERE at >= $since ORDER BY at DESC, id DESC LIMIT $limit",
            ("$since", SqliteValues.Instant(since)), ("$limit", limit));
        var result = new List<LoggedQuestion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cited = reader.GetString(5);
            result.Add(new LoggedQuestion(
                SqliteValues.ReadInstant(reader.GetString(0)), reader.GetString(1), reader.GetDouble(2),
                reader.GetInt32(3) != 0, reader.IsDBNull(4) ? null : reader.GetString(4), cited.Length == 0 ? [] : cited.Split('\n')));
        }
        return result;
    }

    public Task ForgetTextAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("UPDATE questions SET question = NULL WHERE at < $before AND question IS NOT NULL", cancellationToken, ("$before", SqliteValues.Instant(before)));
}
