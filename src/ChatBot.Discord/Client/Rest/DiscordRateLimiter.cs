using System.Collections.Concurrent;
using System.Globalization;

namespace ChatBot.Discord.Client.Rest;

/// <summary>
/// Discord's REST rate limits, read from the response headers: requests are queued per bucket (route + major
/// parameter; routes that share a bucket id share its queue), one in flight per bucket, none sent while the bucket
/// is spent or a global limit is in force, and a 429's <c>retry_after</c> pauses its bucket, or everything if global.
/// </summary>
public sealed class DiscordRateLimiter(TimeProvider time, int globalPerSecond = 50)
{
    private readonly ConcurrentDictionary<string, string> _bucketOfRoute = new();
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private readonly Lock _globalLock = new();
    private readonly Queue<DateTimeOffset> _recent = new();
    private DateTimeOffset _globalUntil;

    private sealed class Bucket
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int? Remaining { get; set; }
        public DateTimeOffset ResetAt { get; set; }
    }

    /// <summary>
    /// Waits for the bucket's turn (and the global limit's, unless <paramref name="global"/> is false: interaction
    /// callbacks are exempt); dispose the result once the response has been passed to <see cref="Update"/>.
    /// </summary>
    public async Task<IDisposable> AcquireAsync(string route, string major, CancellationToken cancellationToken, bool global = true)
    {
        var bucket = BucketFor(route, major);
        await bucket.Gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                var until = Later(global ? GlobalFreeAt(now) : now, bucket.Remaining == 0 && bucket.ResetAt > now ? bucket.ResetAt : now);
                if (until <= now)
                    break;
                await Task.Delay(until - now, time, cancellationToken);
            }
            if (bucket.Remaining > 0)
                bucket.Remaining--;
            return new Releaser(bucket.Gate);
        }
        catch
        {
            bucket.Gate.Release();
            throw;
        }
    }

    /// <summary>Learns the bucket and its state from a response's <c>X-RateLimit-*</c> headers.</summary>
    public void Update(string route, string major, HttpResponseMessage response)
    {
        var bucket = BucketFor(route, major);
        if (Header(response, "X-RateLimit-Bucket") is { } id && _bucketOfRoute.TryAdd(route, id))
            _buckets.TryAdd($"{id}:{major}", bucket); // later requests on this route share the named bucket
        if (Header(response, "X-RateLimit-Remaining") is { } remaining && int.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left))
            bucket.Remaining = left;
        if (Header(response, "X-RateLimit-Reset-After") is { } resetAfter && double.TryParse(resetAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            bucket.ResetAt = time.GetUtcNow() + TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Until when every route is paused by a global 429 (in the past when none is in force).</summary>
    public DateTimeOffset GlobalPausedUntil
    {
        get { lock (_globalLock) return _globalUntil; }
    }

    /// <summary>A 429: pause the bucket, or every request when Discord says the limit is global.</summary>
    public void RateLimited(string route, string major, double retryAfterSeconds, bool global)
    {
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, retryAfterSeconds));
        if (global)
        {
            lock (_globalLock)
                _globalUntil = Later(_globalUntil, until);
            return;
        }
        var bucket = BucketFor(route, major);
        bucket.Remaining = 0;
        bucket.ResetAt = Later(bucket.ResetAt, until);
    }

    private Bucket BucketFor(string route, string major)
    {
        var name = _bucketOfRoute.TryGetValue(route, out var id) ? id : route;
        return _buckets.GetOrAdd($"{name}:{major}", _ => new Bucket());
    }

    /// <summary>When the next request may go out under the global limits (a 429's pause and 50 requests a second).</summary>
    private DateTimeOffset GlobalFreeAt(DateTimeOffset now)
    {
        lock (_globalLock)
        {
            if (_globalUntil > now)
                return _globalUntil;
            while (_recent.Count > 0 && _recent.Peek() <= now - TimeSpan.FromSeconds(1))
                _recent.Dequeue();
            if (_recent.Count >= globalPerSecond)
                return _recent.Peek() + TimeSpan.FromSeconds(1);
            _recent.Enqueue(now);
            return now;
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.Release();
        }
    }
}
