using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Commands.Admin;
using ChatBot.Core.Conversation.Commands.Help;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Conversation.Commands;

/// <summary>What a platform knows about the place a command is answered in.</summary>
public sealed record CommandContext(ChatOrigin Origin, int MaxMessageChars, Language? Language = null)
{
    public IReadOnlyList<ChatTurn> History { get; init; } = [];

    /// <summary>The quota was taken when the message arrived (<see cref="CommandRouter.Admit"/>): not again when it runs.</summary>
    public bool Admitted { get; init; }
}

/// <summary>
/// Whether a message may join the queue: <see cref="Allowed"/>, or refused with <see cref="Refusal"/> to send (the first
/// refusal says how long to wait) or nothing at all (already told, or a sender or place not allowed).
/// </summary>
public sealed record Admission(bool Allowed, ChatReply? Refusal)
{
    public static Admission Yes { get; } = new(true, null);
}

/// <summary>
/// Runs a bot command, whichever platform it came from: finds its <see cref="ICommandHandler"/> by name after the
/// checks every command shares (the sender and place are allowed; admin commands are for admins and look unknown to
/// anyone else; the quota). Adapters parse their own syntax (<c>/ask@Bot …</c>, slash-command options) and render the reply.
/// </summary>
public sealed class CommandRouter(IEnumerable<ICommandHandler> handlers, AccessPolicy access, QuotaLimiter quotas)
{
    public const string Reindex = ReindexCommandHandler.Command;
    public const string Stats = StatsCommandHandler.Command;

    /// <summary><c>/add &lt;url&gt;</c> (admins): handled by the web sources module when it is present.</summary>
    public const string Add = "add";

    /// <summary>The admin commands: known to the platforms' command lists, answered only to admins.</summary>
    public static IReadOnlyList<string> AdminCommands { get; } = [Reindex, Stats, Add];

    private readonly Dictionary<string, ICommandHandler> _handlers = handlers.ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Admission when a message arrives, before it is queued: the sender and place are allowed, and the quota is taken
    /// now, so that what is over quota never waits in a queue (a group flooded by 5,000 users gets its minute's quota
    /// answered and one notice). The command then runs with <see cref="CommandContext.Admitted"/>.
    /// </summary>
    public Admission Admit(string command, string argument, ChatOrigin origin, Language? language)
    {
        if (!access.IsAllowed(origin))
            return new Admission(false, null);
        var handler = _handlers.GetValueOrDefault(command);
        if (!(handler?.Metered ?? true) || quotas.TryTake(origin) is not { } refused)
            return Admission.Yes;
        if (refused.AlreadyTold)
            return new Admission(false, null);
        var lang = language ?? LanguageDetector.Detect(argument);
        return new Admission(false, ChatReply.Plain(BotMessages.Get("quota.exceeded", lang, Math.Max(1, (int)Math.Ceiling(refused.Wait.TotalSeconds))), lang));
    }

    /// <summary>The reply, or null when the bot must stay silent (the sender or place is not allowed, or was already told it is over quota).</summary>
    public async Task<ChatReply?> HandleAsync(string command, string argument, CommandContext context, CancellationToken cancellationToken)
    {
        if (!access.IsAllowed(context.Origin))
            return null;
        var language = context.Language ?? LanguageDetector.Detect(argument);
        var handler = _handlers.GetValueOrDefault(command);
        var metered = handler?.Metered ?? true;
        if (handler is { AdminOnly: true } && !access.IsAdmin(context.Origin))
            handler = null; // an admin command from anyone else looks like any unknown command, revealing nothing
        if (metered && !context.Admitted && quotas.TryTake(context.Origin) is { } refused)
        {
            if (refused.AlreadyTold)
                return null; // said once; until the wait is over, more questions get silence
            return ChatReply.Plain(BotMessages.Get("quota.exceeded", language, Math.Max(1, (int)Math.Ceiling(refused.Wait.TotalSeconds))), language);
        }
        if (handler is not null)
            return await handler.HandleAsync(argument, context, language, cancellationToken);
        var help = HelpCommandHandler.Help(language);
        return help with { Text = BotMessages.Get("command.unknown", language, command) + "\n\n" + help.Text };
    }
}
