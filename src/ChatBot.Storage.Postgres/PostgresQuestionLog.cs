using ChatBot.Core.Conversation.Controls;

namespace ChatBot.Storage.Postgres;

/// <summary>The question log in the shared database (table <c>questions</c>): every replica's console sees every replica's questions.</summary>
public sealed class PostgresQuestionLog(PostgresDatabase store) : IQuestionLog
{
    public async Task RecordAsync(LoggedQuestion question, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("INSERT INTO questions (at, platform, latency_ms, declined, question, cited) VALUES (@at, @p, @ms, @d, @q, @c)");
        command.Parameters.AddWithValue("at", question.At.ToUniversalTime());
        command.Parameters.AddWithValue("p", question.Platform);
        command.Parameters.AddWithValue("ms", question.LatencyMs);
        command.Parameters.AddWithValue("d", question.Declined);
        command.Parameters.AddWithValue("q", (object?)question.Question ?? DBNull.Value);
        command.Parameters.AddWithValue("c", question.Cited.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedQuestion>> ReadAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("SELECT at, platform, latency_ms, declined, question, cited FROM questions WHERE at >= @since ORDER BY at DESC, id DESC LIMIT @limit");
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        var result = new List<LoggedQuestion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new LoggedQuestion(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetDouble(2), reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<string[]>(5)));
        }
        return result;
    }

    public async Task ForgetTextAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("UPDATE questions SET question = NULL WHERE at < @before AND question IS NOT NULL");
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
