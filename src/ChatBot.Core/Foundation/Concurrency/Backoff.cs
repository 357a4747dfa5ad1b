namespace ChatBot.Core.Foundation.Concurrency;

/// <summary>
/// The one retry schedule of the bot: <see cref="Initial"/> doubling at each attempt up to <see cref="Max"/>, spread by
/// ±<see cref="Jitter"/> so that replicas and chats that failed together do not retry together. Each loop that waits
/// between failures (adapters, gateway, REST, Telegram sends, the watcher, the digest, the PostgreSQL change feed)
/// holds one of these instead of its own formula.
/// </summary>
public sealed record Backoff(TimeSpan Initial, TimeSpan Max, double Jitter = 0)
{
    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (1: after the first failure); <paramref name="random"/> in [0, 1) picks the jitter.</summary>
    public TimeSpan Delay(int attempt, double? random = null)
    {
        var step = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)));
        var spread = Jitter == 0 ? 1 : 1 - Jitter + 2 * Jitter * (random ?? Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(step * spread);
    }
}
