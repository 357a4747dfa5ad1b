using System.Net.WebSockets;
using System.Text.Json;
using ChatBot.Core.Foundation.Concurrency;

namespace ChatBot.Discord.Client.Gateway;

/// <summary>
/// The reconnect policy: resume or identify again after each connection's outcome, with the backoff between failures,
/// the identify budget (<c>session_start_limit</c>, <c>max_concurrency</c> per 5 s) and the resume URL's fallback.
/// </summary>
public sealed partial class DiscordGatewayClient
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Outcome outcome;
            try
            {
                outcome = await RunConnectionAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or JsonException or InvalidOperationException)
            {
                if (_connectingToResumeUrl)
                    _resumeUrlFailed = true; // discord.js and Discord.Net do the same: resume on the main URL instead
                outcome = new Outcome(Session.CanResume ? Next.Resume : Next.NewSession, _healthy, TimeSpan.Zero, ex.Message);
            }
            switch (outcome.Next)
            {
                case Next.Stop:
                    return;
                case Next.Fatal:
                    throw new DiscordGatewayFatalException(outcome.Reason) { CloseCode = outcome.CloseCode };
                case Next.NewSession:
                    Session.Forget();
                    break;
            }
            failures = outcome.Healthy ? 0 : failures + 1;
            var delay = outcome.Delay + Backoff(failures);
            LogReconnecting(logger, outcome.Reason, outcome.Next == Next.Resume ? "resume" : "new session", delay.TotalSeconds);
            if (delay > TimeSpan.Zero)
                await WaitAsync(delay, "reconnect", cancellationToken);
        }
    }

    /// <summary>
    /// Waits until an Identify is allowed, then counts it: never past <c>remaining</c> (a wait for <c>reset_after</c>
    /// when spent, since going beyond makes Discord reset the token), at most <c>max_concurrency</c> per 5 s. Returns the
    /// URL to connect to.
    /// </summary>
    private async Task<string> TakeIdentifyAsync(CancellationToken cancellationToken)
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
                await WaitAsync(_gateway.ResetAfter > TimeSpan.Zero ? _gateway.ResetAfter : TimeSpan.FromSeconds(5), "identify-budget", cancellationToken);
                _gateway = null;
                continue;
            }
            now = time.GetUtcNow();
            while (_identifies.Count > 0 && _identifies.Peek() <= now - IdentifyWindow)
                _identifies.Dequeue();
            if (_identifies.Count >= Math.Max(1, _gateway.MaxConcurrency))
            {
                await WaitAsync(_identifies.Peek() + IdentifyWindow - now, "identify-concurrency", cancellationToken);
                continue;
            }
            _identifies.Enqueue(now);
            _gateway = _gateway with { Remaining = _gateway.Remaining - 1 };
            Identifies++;
            return options.GatewayUrl ?? _gateway.Url;
        }
    }

    /// <summary>The URL a resume connects to: the session's, unless connecting to it failed (then the main one).</summary>
    private async Task<string> ResumeUrlAsync(CancellationToken cancellationToken)
    {
        if (!_resumeUrlFailed)
            return Session.ResumeUrl!;
        if (options.GatewayUrl is { } configured)
            return configured;
        if (_gateway is null)
        {
            _gateway = await fetchGateway(cancellationToken);
            _gatewayFetchedAt = time.GetUtcNow();
        }
        return _gateway.Url;
    }

    private bool _connectingToResumeUrl;

    /// <summary>1 s doubling with ±20 % jitter, capped; none after a connection that worked.</summary>
    private TimeSpan Backoff(int failures) => failures == 0
        ? TimeSpan.Zero
        : new Backoff(TimeSpan.FromSeconds(1), options.MaxReconnectDelay, Jitter: 0.2).Delay(failures);
}
