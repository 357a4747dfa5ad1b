namespace ChatBot.Telegram.Sending;

/// <summary>
/// Telegram's flood limits on the sending side: at most one message a second per chat, a number per minute per group,
/// about thirty a second overall. Callers reserve the next free slot and wait for it, so messages queue in order and
/// none is dropped. Not built on
/// System.Threading.RateLimiting: its time-based limiters replenish on a real timer with no <see cref="TimeProvider"/>
/// (dotnet/runtime#106447, open), and a partitioned one cannot be replenished by hand (dotnet/runtime#114151), so the
/// bot's fake-clock tests could not drive it; this one reads the bot's clock.
/// </summary>
public sealed class SendThrottle(TimeProvider time, TimeSpan perChatInterval, int groupPerMinute, int globalPerSecond = 30)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, (DateTimeOffset Next, List<DateTimeOffset> Recent)> _chats = [];
    private readonly List<DateTimeOffset> _global = [];

    public async Task WaitTurnAsync(long chatId, bool isGroup, CancellationToken cancellationToken)
    {
        var delay = Reserve(chatId, isGroup) - time.GetUtcNow();
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, time, cancellationToken);
    }

    /// <summary>Books the earliest moment this chat may be sent to, and returns it.</summary>
    public DateTimeOffset Reserve(long chatId, bool isGroup)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var (next, recent) = _chats.GetValueOrDefault(chatId, (now, new List<DateTimeOffset>()));
            var slot = next > now ? next : now;
            recent.RemoveAll(t => t <= now - Minute);
            if (isGroup)
                slot = FirstFree(recent, slot, groupPerMinute, Minute);
            _global.RemoveAll(t => t <= now - Second);
            slot = FirstFree(_global, slot, globalPerSecond, Second);

            recent.Add(slot);
            recent.Sort();
            _global.Add(slot);
            _global.Sort();
            _chats[chatId] = (slot + perChatInterval, recent);
            if (_chats.Count > 10_000)
                Forget(now);
            return slot;
        }
    }

    /// <summary>The first moment from <paramref name="slot"/> on when fewer than <paramref name="limit"/> sends fall in the window before it.</summary>
    private static DateTimeOffset FirstFree(List<DateTimeOffset> sends, DateTimeOffset slot, int limit, TimeSpan window)
    {
        while (true)
        {
            var inWindow = sends.Where(t => t > slot - window && t <= slot).ToList();
            if (inWindow.Count < limit)
                return slot;
            slot = inWindow[inWindow.Count - limit] + window;
        }
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var chat in _chats.Where(c => c.Value.Next < now && c.Value.Recent.All(t => t <= now - Minute)).Select(c => c.Key).ToList())
            _chats.Remove(chat);
    }
}
