using System.Collections.Concurrent;

namespace ChatBot.Core.Answering.Conversations;

/// <summary>
/// Remembers, for each answer the bot posted, the conversation it belongs to, so that a reply to that answer
/// continues it. Keyed by (platform, chat, bot message id); the last <see cref="MaxTurns"/> turns, for
/// <see cref="Ttl"/>. In memory: a restart forgets conversations.
/// </summary>
public sealed class ConversationMemory(TimeProvider time)
{
    public const int MaxTurns = 6;
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(24);
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Platform, string Chat, string Message), (IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)> _entries = new();

    public IReadOnlyList<ChatTurn> HistoryOf(string platform, string chatId, string botMessageId)
    {
        if (!_entries.TryGetValue((platform, chatId, botMessageId), out var entry))
            return [];
        return time.GetUtcNow() - entry.At > Ttl ? [] : entry.Turns;
    }

    /// <summary>Records that the bot's messages <paramref name="botMessageIds"/> answer <paramref name="turn"/> after <paramref name="history"/>.</summary>
    public void Remember(string platform, string chatId, IEnumerable<string> botMessageIds, IReadOnlyList<ChatTurn> history, ChatTurn turn)
    {
        if (_entries.Count >= MaxEntries)
            Prune();
        var turns = history.Append(turn).TakeLast(MaxTurns).ToList();
        var now = time.GetUtcNow();
        foreach (var id in botMessageIds)
            _entries[(platform, chatId, id)] = (turns, now);
    }

    private void Prune()
    {
        var cutoff = time.GetUtcNow() - Ttl;
        foreach (var (key, value) in _entries)
        {
            if (value.At < cutoff)
                _entries.TryRemove(key, out _);
        }
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
    }
}
