using ChatBot.Core.Foundation.Concurrency;
using Microsoft.Extensions.Logging;

namespace ChatBot.Discord.Client.Gateway;

/// <summary>
/// Where and when the gateway connects next: the identify budget (<c>session_start_limit</c>: never past
/// <c>remaining</c>, at most <c>max_concurrency</c> per 5 s), the resume URL and its fallback to the main one when it
/// cannot be reached (as discord.js and Discord.Net do), and the backoff between failed connections. It owns that
/// state; the client asks it for a URL before each connection and for the delay after.
/// </summary>
public sealed partial class GatewayReconnectPolicy(
    GatewayOptions options,
    Func<CancellationToken, Task<GatewayInfo>> fetchGateway,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan IdentifyWindow = TimeSpan.FromSeconds(5);
    private readonly Queue<DateTimeOffset> _identifies = new();
    private GatewayInfo? _gateway;
    private DateTimeOffset _gatewayFetchedAt;
    private bool _resumeUrlFailed;
    private bool _connectingToResumeUrl;

    /// <summary>How many times the client identified (started a new session).</summary>
    public int Identifies { get; private set; }

    /// <summary>The URL of the next connection: the session's resume URL (or its fallback), else one an Identify may use.</summary>
    public async Task<string> NextUrlAsync(GatewaySession session, Func<TimeSpan, string, CancellationToken, Task> wait, CancellationToken cancellationToken)
    {
        var resuming = session.CanResume;
        var url = resuming ? await ResumeUrlAsync(session, cancellationToken) : await TakeIdentifyAsync(wait, cancellationToken);
        _connectingToResumeUrl = resuming && !_resumeUrlFailed;
        return url;
    }

    /// <summary>The gateway answered with Hello: the URL works.</summary>
    public void Answered() => _connectingToResumeUrl = false;

    /// <summary>A session was resumed or started: the resume URL works again.</summary>
    public void SessionReady() => _resumeUrlFailed = false;

    /// <summary>The connection failed before Hello: a resume URL that cannot be reached is given up for the main one.</summary>
    public void ConnectionFailed()
    {
        if (_connectingToResumeUrl)
            _resumeUrlFailed = true;
    }

    /// <summary>1 s doubling with ±20 % jitter, capped; none after a connection that worked (<paramref name="failures"/> 0).</summary>
    public TimeSpan Backoff(int failures) => failures == 0
        ? TimeSpan.Zero
        : new Backoff(TimeSpan.FromSeconds(1), options.MaxReconnectDelay, Jitter: 0.2).Delay(failures);

    /// <summary>
    /// Waits until an Identify is allowed, then counts it: never past <c>remaining</c> (a wait for <c>reset_after</c>
    /// when spent, since going beyond makes Discord reset the token), at most <c>max_concurrency</c> per 5 s. Returns the
    /// URL to connect to.
    /// </summary>
    private async Task<string> TakeIdentifyAsync(Func<TimeSpan, string, CancellationToken, Task> wait, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            if (_gateway is null || _gateway.Remaining <= 0 || now >= _gatewayFetchedAt + _gateway.ResetAfter)
            {
                _gateway = await fetchGateway(cancellationToken);
                _gatewayFetchedAt = time.GetUtcNow();
            }
            if (_gateway.Remaining <= 0)
            {
                LogIdentifyBudgetSpent(logger, _gateway.Total, _gateway.ResetAfter.TotalMinutes);
                await wait(_gateway.ResetAfter > TimeSpan.Zero ? _gateway.ResetAfter : TimeSpan.FromSeconds(5), "identify-budget", cancellationToken);
                _gateway = null;
                continue;
            }
            now = time.GetUtcNow();
            while (_identifies.Count > 0 && _identifies.Peek() <= now - IdentifyWindow)
                _identifies.Dequeue();
            if (_identifies.Count >= Math.Max(1, _gateway.MaxConcurrency))
            {
                await wait(_identifies.Peek() + IdentifyWindow - now, "identify-concurrency", cancellationToken);
                continue;
            }
            _identifies.Enqueue(now);
            _gateway = _gateway with { Remaining = _gateway.Remaining - 1 };
            Identifies++;
            return options.GatewayUrl ?? _gateway.Url;
        }
    }

    /// <summary>The URL a resume connects to: the session's, unless connecting to it failed (then the main one).</summary>
    private async Task<string> ResumeUrlAsync(GatewaySession session, CancellationToken cancellationToken)
    {
        if (!_resumeUrlFailed)
            return session.ResumeUrl!;
        if (options.GatewayUrl is { } configured)
            return configured;
        if (_gateway is null)
        {
            _gateway = await fetchGateway(cancellationToken);
            _gatewayFetchedAt = time.GetUtcNow();
        }
        return _gateway.Url;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: the identify budget ({Total} a day) is spent; waiting {Minutes:0.#} min for it to reset rather than have Discord reset the token")]
    private static partial void LogIdentifyBudgetSpent(ILogger logger, int total, double minutes);
}
