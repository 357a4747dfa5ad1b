using System.Globalization;

using ChatBot.Core.Ingestion;

namespace ChatBot.Core.Storage.Sqlite;

/// <summary>The question log in the index file (table <c>questions</c>).</summary>
public sealed class SqliteQuestionLog(SqliteIndexStore store, IndexOpener? opener = null) : IQuestionLog
{
    public async Task RecordAsync(LoggedQuestion question, CancellationToken cancellationToken)
    {
        if (opener is not null)
            await opener.EnsureOpenAsync(cancellationToken);
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO questions (at, platform, latency_ms, declined, question, cited) VALUES ($at, $p, $ms, $d, $q, $c)";
        command.Parameters.AddWithValue("$at", question.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$p", question.Platform);
        command.Parameters.AddWithValue("$ms", question.LatencyMs);
        command.Parameters.AddWithValue("$d", question.Declined ? 1 : 0);
        command.Parameters.AddWithValue("$q", (object?)question.Question ?? DBNull.Value);
        command.Parameters.AddWithValue("$c", string.Join('\n', question.Cited));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedQuestion>> ReadAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        if (opener is not null)
            await opener.EnsureOpenAsync(cancellationToken);
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, platform, latency_ms, declined, question, cited FROM questions WHERE at >= $since ORDER BY at DESC, id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$since", since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<LoggedQuestion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cited = reader.GetString(5);
            result.Add(new LoggedQuestion(
                DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), reader.GetString(1), reader.GetDouble(2),
                reader.GetInt32(3) != 0, reader.IsDBNull(4) ? null : reader.GetString(4), cited.Length == 0 ? [] : cited.Split('\n')));
        }
        return result;
    }

    public async Task ForgetTextAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        if (opener is not null)
            await opener.EnsureOpenAsync(cancellationToken);
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE questions SET question = NULL WHERE at < $before AND question IS NOT NULL";
        command.Parameters.AddWithValue("$before", before.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
