namespace ChatBot.Discord.Client.Gateway;

/// <summary>
/// Discord allows 120 sent events per connection per 60 s; exceeding it closes the connection. Heartbeats must always
/// get through, so other events are held to fewer, leaving room for them. Not built on
/// System.Threading.RateLimiting: its time-based limiters replenish on a real timer with no <see cref="TimeProvider"/>
/// (dotnet/runtime#106447, open), and a partitioned one cannot be replenished by hand (dotnet/runtime#114151), so the
/// bot's fake-clock tests could not drive it; this one reads the bot's clock.
/// </summary>
public sealed class GatewaySendLimiter(TimeProvider time, int perMinute = 120, int reservedForHeartbeats = 5)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly Lock _lock = new();

    public async Task WaitAsync(bool heartbeat, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                while (_sent.Count > 0 && _sent.Peek() <= now - Window)
                    _sent.Dequeue();
                var limit = heartbeat ? perMinute : perMinute - reservedForHeartbeats;
                if (_sent.Count < limit)
                {
                    _sent.Enqueue(now);
                    return;
                }
                wait = _sent.Peek() + Window - now;
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>A new connection starts a new budget.</summary>
    public void Reset()
    {
        lock (_lock)
            _sent.Clear();
    }
}
