using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Controls;

/// <summary>
/// Notes each answered question twice: in this process's counters (what <c>/stats</c> reads) and in the store's
/// question log (what the operator console reads, shared by replicas). The text is kept only when questions may be
/// stored, and forgotten after the retention period like conversations. A log that cannot be written costs a warning,
/// never the answer.
/// </summary>
public sealed partial class QuestionRecorder(
    UsageStatistics usage, IQuestionLog log, IOptions<ConversationOptions> privacy, TimeProvider time, ILogger<QuestionRecorder> logger)
{
    /// <summary>Old text is forgotten at most this often (not on every question: one more write per answer for nothing).</summary>
    private static readonly TimeSpan ForgetEvery = TimeSpan.FromHours(1);

    private long _nextForgetTicks;

    public UsageStatistics Usage => usage;

    public async Task RecordAsync(ChatOrigin? origin, string question, ChatReply reply, CancellationToken cancellationToken)
    {
        usage.Record(!reply.Grounded, reply.Timings.TotalMs);
        var now = time.GetUtcNow();
        try
        {
            await log.RecordAsync(new LoggedQuestion(now, origin?.Platform ?? "cli", reply.Timings.TotalMs, !reply.Grounded,
                privacy.Value.StoreQuestions ? question : null, reply.Citations.Select(c => c.ArticleId).Distinct(StringComparer.Ordinal).ToList()), cancellationToken);
            var due = Interlocked.Read(ref _nextForgetTicks);
            if (now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextForgetTicks, (now + ForgetEvery).UtcTicks, due) == due)
                await log.ForgetTextAsync(now - TimeSpan.FromDays(privacy.Value.RetentionDays), cancellationToken);
        }
        catch (Exception ex) when (ex is IndexStoreException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogNotRecorded(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The question was answered but not written to the question log: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string reason);
}
