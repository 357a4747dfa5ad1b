using System.Collections.Concurrent;
using ChatBot.Core.Answering;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Controls;

/// <summary>
/// Token buckets per user (a minute's and a day's allowance) and per channel (a minute's). A refused question says
/// when the next one will be accepted. Admins have no quota.
/// </summary>
public sealed class QuotaLimiter(IOptions<ControlsOptions> options, AccessPolicy access, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    /// <summary>Takes one question from every bucket that applies; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryTake(ChatOrigin origin)
    {
        if (access.IsAdmin(origin))
            return null;
        var o = options.Value;
        var now = time.GetUtcNow();
        var buckets = new[]
        {
            _buckets.GetOrAdd($"u:{origin.Platform}:{origin.UserId}:m", _ => new Bucket(o.UserQuestionsPerMinute, TimeSpan.FromMinutes(1), now)),
            _buckets.GetOrAdd($"u:{origin.Platform}:{origin.UserId}:d", _ => new Bucket(o.UserQuestionsPerDay, TimeSpan.FromDays(1), now)),
            _buckets.GetOrAdd($"c:{origin.Platform}:{origin.ChatId}:m", _ => new Bucket(o.ChannelQuestionsPerMinute, TimeSpan.FromMinutes(1), now)),
        };
        lock (_buckets)
        {
            var waits = buckets.Select(b => b.WaitFor(now)).Where(w => w > TimeSpan.Zero).ToList();
            if (waits.Count > 0)
                return waits.Max();
            foreach (var bucket in buckets)
                bucket.Take(now);
            return null;
        }
    }

    /// <summary>Refills continuously: <c>capacity</c> tokens per <c>period</c>.</summary>
    private sealed class Bucket(int capacity, TimeSpan period, DateTimeOffset now)
    {
        private double _tokens = capacity;
        private DateTimeOffset _updated = now;

        private void Refill(DateTimeOffset at)
        {
            _tokens = Math.Min(capacity, _tokens + (at - _updated).TotalSeconds * capacity / period.TotalSeconds);
            _updated = at;
        }

        public TimeSpan WaitFor(DateTimeOffset at)
        {
            Refill(at);
            return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling((1 - _tokens) * period.TotalSeconds / capacity));
        }

        public void Take(DateTimeOffset at)
        {
            Refill(at);
            _tokens -= 1;
        }
    }
}
