using System.Collections.Concurrent;

namespace ChatBot.Core.Foundation.Logging;

/// <summary>
/// A repeated event (a refused request, a dropped question) counted always and reported at most once a minute per
/// key, with how many happened since the last report: a flood must not flood the log.
/// </summary>
public sealed class OncePerMinute<TKey>(TimeProvider time) where TKey : notnull
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<TKey, (DateTimeOffset ReportedAt, int Since)> _events = new();

    /// <summary>Counts one event of <paramref name="key"/>; true (with the count since the last report) when it is time to report.</summary>
    public bool Count(TKey key, out int since)
    {
        var now = time.GetUtcNow();
        var entry = _events.AddOrUpdate(key, _ => (DateTimeOffset.MinValue, 1), (_, e) => (e.ReportedAt, e.Since + 1));
        since = entry.Since;
        return now - entry.ReportedAt >= Interval && _events.TryUpdate(key, (now, 0), entry);
    }
}
