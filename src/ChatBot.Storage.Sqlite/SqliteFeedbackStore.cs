using System.Text.Json;

using ChatBot.Core.Conversation.Controls;

namespace ChatBot.Storage.Sqlite;

/// <summary>Feedback votes in the index file; one row per (answer, user).</summary>
public sealed class SqliteFeedbackStore(SqliteDatabase store) : IFeedbackStore
{
    public Task SaveVoteAsync(FeedbackVote vote, CancellationToken cancellationToken) =>
        store.ExecuteAsync("""
            INSERT INTO feedback (platform, chat, message_id, user_id, vote, question, answer, citations, at)
            VALUES ($p, $c, $m, $u, $v, $q, $a, $cit, $at)
            ON CONFLICT (platform, chat, message_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at
            """, cancellationToken,
            ("$p", vote.Platform), ("$c", vote.ChatId), ("$m", vote.MessageId), ("$u", vote.UserId), ("$v", vote.Vote), ("$q", vote.Question),
            ("$a", vote.Answer), ("$cit", JsonSerializer.Serialize(vote.Citations)), ("$at", SqliteValues.Instant(vote.At)));

    public async Task<IReadOnlyList<FeedbackVote>> VotesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.Command("SELECT platform, chat, message_id, user_id, vote, question, answer, citations, at FROM feedback");
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
    public Task ForgetFeedbackTextAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("UPDATE feedback SET question = NULL, answer = NULL WHERE at < $before AND (question IS NOT NULL OR answer IS NOT NULL)",
            cancellationToken, ("$before", SqliteValues.Instant(before)));
}
