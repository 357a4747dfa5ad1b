using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Memory;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Controls;

/// <summary>
/// 👍/👎 on an answer: one vote per user per answer (voting again changes it), stored with the question, the answer
/// and the cited articles when questions may be stored, with the vote alone otherwise.
/// </summary>
public sealed class FeedbackService(IFeedbackStore store, ConversationMemory memory, IOptions<ConversationOptions> privacy, TimeProvider time)
{
    public const string Up = "fb:+";
    public const string Down = "fb:-";

    public static bool IsFeedback(string? data) => data is Up or Down;

    public async Task VoteAsync(ChatOrigin origin, string botMessageId, string data, CancellationToken cancellationToken)
    {
        var history = await memory.HistoryOfAsync(origin.Platform, origin.ChatId, botMessageId, cancellationToken);
        var turn = history.Count > 0 ? history[^1] : null;
        var keep = privacy.Value.StoreQuestions;
        var now = time.GetUtcNow();
        await store.SaveVoteAsync(new FeedbackVote(origin.Platform, origin.ChatId, botMessageId, origin.UserId, data == Up ? 1 : -1,
            keep ? turn?.Question : null, keep ? turn?.Answer : null, turn?.Citations ?? [], now), cancellationToken);
        await store.ForgetFeedbackTextAsync(now - TimeSpan.FromDays(privacy.Value.RetentionDays), cancellationToken);
    }

    /// <summary>Share of positive votes, and how many votes there are.</summary>
    public async Task<(double Positive, int Votes)> RatioAsync(CancellationToken cancellationToken)
    {
        var votes = await store.VotesAsync(cancellationToken);
        return votes.Count == 0 ? (0, 0) : (votes.Count(v => v.Vote > 0) / (double)votes.Count, votes.Count);
    }
}
