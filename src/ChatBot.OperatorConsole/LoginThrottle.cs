using System.Collections.Concurrent;
using System.Net;
using ChatBot.Core.Foundation.Logging;
using Microsoft.Extensions.Logging;

namespace ChatBot.OperatorConsole;

/// <summary>
/// Guessing the admin token is made slow, per address: after <see cref="FreeAttempts"/> wrong tokens each further try
/// waits twice as long as the one before (1 s, 2 s, 4 s… up to 5 minutes), and a login during the wait is refused
/// (429) without even being checked. A burst of refusals from one address is one log line a minute, with the count.
/// A right token clears its address. Entries that waited out their delay long ago are forgotten.
/// </summary>
public sealed partial class LoginThrottle(TimeProvider time, ILogger<LoginThrottle> logger)
{
    public const int FreeAttempts = 5;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);
    private const int MaxAddresses = 10_000;

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset BlockedUntil;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly OncePerMinute<string> _refusals = new(time);

    /// <summary>How long <paramref name="address"/> must still wait before its next try is checked (zero: now).</summary>
    public TimeSpan WaitFor(IPAddress? address)
    {
        if (!_entries.TryGetValue(Key(address), out var entry))
            return TimeSpan.Zero;
        lock (entry)
        {
            var wait = entry.BlockedUntil - time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
                return TimeSpan.Zero;
            Refused(address, entry);
            return wait;
        }
    }

    public void Failed(IPAddress? address)
    {
        if (_entries.Count >= MaxAddresses)
            Forget();
        var entry = _entries.GetOrAdd(Key(address), _ => new Entry());
        lock (entry)
        {
            entry.Failures++;
            if (entry.Failures > FreeAttempts)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, Math.Pow(2, entry.Failures - FreeAttempts - 1)));
                entry.BlockedUntil = time.GetUtcNow() + delay;
            }
            Refused(address, entry);
        }
    }

    public void Succeeded(IPAddress? address) => _entries.TryRemove(Key(address), out _);

    private void Refused(IPAddress? address, Entry entry)
    {
        if (_refusals.Count(Key(address), out var since))
            LogRefused(logger, Key(address), since, entry.Failures);
    }

    private void Forget()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.BlockedUntil + MaxDelay < now)
                _entries.TryRemove(key, out _);
        }
    }

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console: {Count} login(s) refused from {Address} since the last such line ({Failures} wrong tokens in a row)")]
    private static partial void LogRefused(ILogger logger, string address, int count, int failures);
}
