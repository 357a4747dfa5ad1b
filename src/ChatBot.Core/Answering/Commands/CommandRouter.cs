using System.Globalization;
using System.Text;
using ChatBot.Core.Answering.Digest;
using ChatBot.Core.Answering.Summaries;
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
    TimeProvider time)
{
    /// <summary>How far back an on-demand digest looks when no digest has been posted yet.</summary>
    public static readonly TimeSpan OnDemandDigestWindow = TimeSpan.FromHours(24);

    public const int OnDemandDigestArticles = 10;

    public async Task<ChatReply> HandleAsync(string command, string argument, CommandContext context, CancellationToken cancellationToken)
    {
        var language = context.Language ?? LanguageDetector.Detect(argument);
        switch (command.ToLowerInvariant())
        {
            case BotCommands.Ask:
                return await answerer.AnswerAsync(new ChatRequest(argument) { History = context.History, Origin = context.Origin, Language = context.Language }, cancellationToken);
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
        return new ChatReply(text.ToString(), false, [], language, [], new ReplyTimings(0, 0));
    }
}
