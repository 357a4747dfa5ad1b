using System.Collections.Concurrent;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Memory;

/// <summary>
/// Remembers, for each answer the bot posted, the conversation it belongs to, so that a reply to that answer
/// continues it: the last <see cref="ConversationOptions.MaxTurns"/> turns, for <see cref="ConversationOptions.TtlHours"/>.
/// Persisted in the store (a restart keeps it) unless <see cref="ConversationOptions.StoreQuestions"/> is off, in
/// which case no question or answer text is written anywhere and history ends with the process.
/// </summary>
public sealed class ConversationMemory(IConversationStore store, IOptions<ConversationOptions> options, TimeProvider time)
{
    private const int MaxEntriesInMemory = 100_000;

    private readonly ConcurrentDictionary<(string Platform, string Chat, string Message), (IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)> _memory = new();

    private TimeSpan Ttl => TimeSpan.FromHours(options.Value.TtlHours);

    public async Task<IReadOnlyList<ChatTurn>> HistoryOfAsync(string platform, string chatId, string botMessageId, CancellationToken cancellationToken)
    {
        (IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)? entry;
        if (options.Value.StoreQuestions)
        {
            entry = await store.LoadAsync(platform, chatId, botMessageId, cancellationToken);
        }
        else
        {
            entry = _memory.TryGetValue((platform, chatId, botMessageId), out var kept) ? kept : null;
        }
        return entry is { } found && time.GetUtcNow() - found.At <= Ttl ? found.Turns : [];
    }

    /// <summary>
    /// Answers given within the history's lifetime that cite an article changed since: their quotes may no longer be
    /// in it. Counted once per answer (a long answer spans several messages).
    /// </summary>
    public async Task<int> StaleAnswersAsync(IIndexStore index, CancellationToken cancellationToken)
    {
        if (!options.Value.StoreQuestions)
            return 0;
        var changed = (await index.ListArticlesAsync(cancellationToken))
            .Where(a => a.UpdatedAt > a.IngestedAt)
            .ToDictionary(a => a.Id, a => a.UpdatedAt, StringComparer.Ordinal);
        var recent = await store.RecentAsync(time.GetUtcNow() - Ttl, cancellationToken);
        return recent
            .Where(e => e.Turns.Count > 0 && e.Turns[^1].Citations.Any(id => changed.TryGetValue(id, out var at) && at > e.At))
            .Select(e => (e.Turns[^1].Question, e.At))
            .Distinct()
            .Count();
    }

    /// <summary>Records that the bot's messages <paramref name="botMessageIds"/> answer <paramref name="turn"/> after <paramref name="history"/>.</summary>
    public async Task RememberAsync(string platform, string chatId, IEnumerable<string> botMessageIds, IReadOnlyList<ChatTurn> history, ChatTurn turn, CancellationToken cancellationToken)
    {
        var turns = history.Append(turn).TakeLast(Math.Max(1, options.Value.MaxTurns)).ToList();
        var ids = botMessageIds.ToList();
        var now = time.GetUtcNow();
        if (!options.Value.StoreQuestions)
        {
            if (_memory.Count >= MaxEntriesInMemory)
                _memory.Clear();
            foreach (var id in ids)
                _memory[(platform, chatId, id)] = (turns, now);
            return;
        }
        await store.SaveAsync(platform, chatId, ids, turns, now, cancellationToken);
        await store.PurgeAsync(now - Ttl, cancellationToken);
    }
}
