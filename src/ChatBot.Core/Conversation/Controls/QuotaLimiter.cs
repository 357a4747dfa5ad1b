using System.Collections.Concurrent;
using ChatBot.Core.Answering.Chat;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Controls;

/// <summary>A refused question: how long until the next is accepted, and whether the user was already told so.</summary>
public readonly record struct QuotaRefusal(TimeSpan Wait, bool AlreadyTold);

/// <summary>
/// Token buckets per user (a minute's and a day's allowance) and per channel (a minute's). The first refused question
/// says when the next one will be accepted; the ones after it, until then, get silence (a reply to each would be the
/// flood the quota is there to stop). Admins have no quota. A bucket that has refilled is forgotten, so a public
/// bot's memory does not grow with every user it ever saw. Not built on
/// System.Threading.RateLimiting: its time-based limiters replenish on a real timer with no <see cref="TimeProvider"/>
/// (dotnet/runtime#106447, open), and a partitioned one cannot be replenished by hand (dotnet/runtime#114151), so the
/// bot's fake-clock tests could not drive it; this one reads the bot's clock.
/// </summary>
public sealed class QuotaLimiter(IOptions<ControlsOptions> options, AccessPolicy access, TimeProvider time)
{
    /// <summary>Every this many questions, buckets that have refilled are dropped.</summary>
    private const int SweepEvery = 256;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _toldUntil = new();
    private int _calls;

    /// <summary>How many buckets are kept (tests).</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>Takes one question from every bucket that applies; null when allowed, else the refusal.</summary>
    public QuotaRefusal? TryTake(ChatOrigin origin)
    {
        if (access.IsAdmin(origin))
            return null;
        var o = options.Value;
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
            Sweep(now);
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
            {
                var wait = waits.Max();
                // A full chat is told once, not once per user: 5,000 users flooding a group get one notice there.
                var who = buckets[2].WaitFor(now) > TimeSpan.Zero ? $"c:{origin.Platform}:{origin.ChatId}" : $"u:{origin.Platform}:{origin.UserId}";
                var told = _toldUntil.TryGetValue(who, out var until) && until > now;
                if (!told)
                    _toldUntil[who] = now + wait;
                return new QuotaRefusal(wait, told);
            }
            foreach (var bucket in buckets)
                bucket.Take(now);
            return null;
        }
    }

    /// <summary>Drops the buckets that are full again (the same as new ones) and the refusals that have expired.</summary>
    public void Sweep(DateTimeOffset now)
    {
        lock (_buckets)
        {
            foreach (var (key, bucket) in _buckets)
            {
                if (bucket.IsFull(now))
                    _buckets.TryRemove(key, out _);
            }
            foreach (var (user, until) in _toldUntil)
            {
                if (until <= now)
                    _toldUntil.TryRemove(user, out _);
            }
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

        public bool IsFull(DateTimeOffset at)
        {
            Refill(at);
            return _tokens >= capacity;
        }

        public void Take(DateTimeOffset at)
        {
            Refill(at);
            _tokens -= 1;
        }
    }
}
