using System.Text.Json;

using ChatBot.Core.Storage;

namespace ChatBot.Storage.Sqlite;

/// <summary>Feedback votes in the index file; one row per (answer, user).</summary>
public sealed class SqliteFeedbackStore(SqliteIndexStore store) : IFeedbackStore
{
    public async Task SaveVoteAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO feedback (platform, chat, message_id, user_id, vote, question, answer, citations, at)
            VALUES ($p, $c, $m, $u, $v, $q, $a, $cit, $at)
            ON CONFLICT (platform, chat, message_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at
            """;
        command.Parameters.AddWithValue("$p", vote.Platform);
        command.Parameters.AddWithValue("$c", vote.ChatId);
        command.Parameters.AddWithValue("$m", vote.MessageId);
        command.Parameters.AddWithValue("$u", vote.UserId);
        command.Parameters.AddWithValue("$v", vote.Vote);
        command.Parameters.AddWithValue("$q", (object?)vote.Question ?? DBNull.Value);
        command.Parameters.AddWithValue("$a", (object?)vote.Answer ?? DBNull.Value);
        command.Parameters.AddWithValue("$cit", JsonSerializer.Serialize(vote.Citations));
        command.Parameters.AddWithValue("$at", SqliteValues.Instant(vote.At));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FeedbackVote>> VotesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT platform, chat, message_id, user_id, vote, question, answer, citations, at FROM feedback";
        var votes = new List<FeedbackVote>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            votes.Add(new FeedbackVote(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(7)) ?? [], SqliteValues.ReadInstant(reader.GetString(8))));
        }
        return votes;
    }

    /// <summary>Removes the question and answer text of feedback older than <paramref name="before"/>; the votes stay.</summary>
    public async Task ForgetFeedbackTextAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE feedback SET question = NULL, answer = NULL WHERE at < $before AND (question IS NOT NULL OR answer IS NOT NULL)";
        command.Parameters.AddWithValue("$before", SqliteValues.Instant(before));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
