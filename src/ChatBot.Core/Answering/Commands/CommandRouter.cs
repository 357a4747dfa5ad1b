using System.Globalization;
using System.Text;
using ChatBot.Core.Answering.Digest;
using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Controls;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Storage;
using ChatBot.Core.Text;

namespace ChatBot.Core.Answering.Commands;

/// <summary>What a platform knows about the place a command is answered in.</summary>
public sealed record CommandContext(ChatOrigin Origin, int MaxMessageChars, Language? Language = null)
{
    public IReadOnlyList<ChatTurn> History { get; init; } = [];
}

/// <summary>
/// Runs a bot command, whichever platform it came from: <c>ask</c>, <c>summary</c>, <c>digest</c>, <c>sources</c>,
/// <c>help</c>. Adapters parse their own syntax (<c>/ask@Bot …</c>, slash-command options) and render the reply.
/// </summary>
public sealed class CommandRouter(
    QuestionAnswerer answerer,
    Summarizer summarizer,
    SourcesCatalog sources,
    DigestBuilder digest,
    AccessPolicy access,
    QuotaLimiter quotas,
    QuestionRecorder questions,
    FeedbackService feedback,
    Conversations.ConversationMemory conversations,
    CorpusIngester ingester,
    IIndexStore store,
    TimeProvider time)
{
    public const string Reindex = "reindex";
    public const string Stats = "stats";

    /// <summary>How far back an on-demand digest looks when no digest has been posted yet.</summary>
    public static readonly TimeSpan OnDemandDigestWindow = TimeSpan.FromHours(24);

    public const int OnDemandDigestArticles = 10;

    /// <summary>The reply, or null when the bot must stay silent (the sender or place is not allowed, or was already told it is over quota).</summary>
    public async Task<ChatReply?> HandleAsync(string command, string argument, CommandContext context, CancellationToken cancellationToken)
    {
        if (!access.IsAllowed(context.Origin))
            return null;
        var language = context.Language ?? LanguageDetector.Detect(argument);
        var name = command.ToLowerInvariant();
        if (name is not (BotCommands.Help or Reindex or Stats) && quotas.TryTake(context.Origin) is { } refused)
        {
            if (refused.AlreadyTold)
                return null; // said once; until the wait is over, more questions get silence
            return ChatReply.Plain(BotMessages.Get("quota.exceeded", language, Math.Max(1, (int)Math.Ceiling(refused.Wait.TotalSeconds))), language);
        }
        switch (name)
        {
            case Reindex when access.IsAdmin(context.Origin):
                var report = await ingester.SyncAsync(null, cancellationToken);
                var counts = await store.GetCountsAsync(cancellationToken);
                return ChatReply.Plain(BotMessages.Get("admin.reindex", language, report.Added, report.Updated, report.Removed, report.Unchanged, counts.Articles, counts.Chunks), language);
            case Stats when access.IsAdmin(context.Origin):
                var index = await store.GetCountsAsync(cancellationToken);
                var today = questions.Usage.Today();
                var votes = await feedback.RatioAsync(cancellationToken);
                var stale = await conversations.StaleAnswersAsync(store, cancellationToken);
                return ChatReply.Plain(BotMessages.Get("admin.stats", language, index.Articles, index.Chunks, today.Questions, today.DeclinedShare, today.P50Ms, today.P95Ms, votes.Positive, votes.Votes, stale), language);
            case BotCommands.Ask:
                var reply = await answerer.AnswerAsync(new ChatRequest(argument) { History = context.History, Origin = context.Origin, Language = context.Language }, cancellationToken);
                await questions.RecordAsync(context.Origin, argument, reply, cancellationToken);
                return reply;
            case BotCommands.Summary:
                return await summarizer.SummarizeAsync(argument, language, cancellationToken);
            case BotCommands.Sources:
                var page = int.TryParse(argument.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 1;
                return await sources.PageAsync(page, context.MaxMessageChars, language, cancellationToken);
            case BotCommands.Digest:
                return await digest.BuildAsync(time.GetUtcNow() - OnDemandDigestWindow, OnDemandDigestArticles, language, cancellationToken);
            case BotCommands.Help:
                return Help(language);
            default:
                // Admin commands from a non-admin land here too: they look like any unknown command, revealing nothing.
                var unknown = Help(language);
                return unknown with { Text = BotMessages.Get("command.unknown", language, command) + "\n\n" + unknown.Text };
        }
    }

    public static ChatReply Help(Language language)
    {
        var text = new StringBuilder(BotMessages.Get("help.intro", language)).Append("\n\n");
        foreach (var command in BotCommands.All)
            text.Append('/').Append(command.Name).Append(command.TakesArgument ? " …" : "").Append(" — ").Append(command.Description(language)).Append('\n');
        text.Append('\n').Append(BotMessages.Get("help.usage", language));
        return ChatReply.Plain(text.ToString(), language);
    }
}
