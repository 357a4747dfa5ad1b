using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChatBot.Core.Foundation.Concurrency;
using ChatBot.Core.Foundation.Logging;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Discord.Client.Model;
using Microsoft.Extensions.Logging;

namespace ChatBot.Discord.Client.Rest;

/// <summary>
/// Typed Discord REST v10 calls the bot needs. Every call goes through the <see cref="DiscordRateLimiter"/>; a 429 is
/// waited out and retried, a 5xx or network failure retried with backoff, anything else thrown. Messages always carry
/// <c>allowed_mentions</c>, so no corpus or user text can ever ping anyone.
/// </summary>
public sealed partial class DiscordRestClient(HttpClient http, DiscordRateLimiter limiter, string token, string apiBaseUrl, TimeProvider time, ILogger<DiscordRestClient> logger)
{
    private const int MaxAttempts = 5;
    private readonly string _base = apiBaseUrl.TrimEnd('/');

    /// <summary>How long one try of a request may take before it counts as failed.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>GET /gateway/bot</c>: the URL and the session-start budget. One attempt: a 5xx or a timeout goes back to the
    /// caller, whose reconnect loop (and the adapter's supervisor) retries with backoff, forever.
    /// </summary>
    public async Task<GatewayInfo> GetGatewayAsync(CancellationToken cancellationToken)
    {
        var result = DiscordJson.Read(await SendAsync(HttpMethod.Get, "GET /gateway/bot", "", "/gateway/bot", null, cancellationToken, attempts: 1), DiscordJson.Default.GatewayBotResponse);
        if (result.SessionStartLimit is not { } limit)
            return new GatewayInfo(result.Url, 1000, 1000, TimeSpan.FromDays(1), 1);
        return new GatewayInfo(result.Url, limit.Total, limit.Remaining, TimeSpan.FromMilliseconds(limit.ResetAfter), limit.MaxConcurrency);
    }

    /// <summary><c>GET /channels/{id}</c>: the channel's type, among others (threads can start only in some).</summary>
    public async Task<DiscordChannel> GetChannelAsync(string channelId, CancellationToken cancellationToken) =>
        DiscordJson.Read(await SendAsync(HttpMethod.Get, "GET /channels/{channel}", channelId, $"/channels/{channelId}", null, cancellationToken), DiscordJson.Default.DiscordChannel);

    public async Task<DiscordMessage> CreateMessageAsync(string channelId, MessagePayload message, CancellationToken cancellationToken) =>
        DiscordJson.Read(await SendAsync(HttpMethod.Post, "POST /channels/{channel}/messages", channelId, $"/channels/{channelId}/messages",
            Body(message with { AllowedMentions = AllowedMentions.None }, DiscordJson.Default.MessagePayload), cancellationToken), DiscordJson.Default.DiscordMessage);

    public Task TriggerTypingAsync(string channelId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "POST /channels/{channel}/typing", channelId, $"/channels/{channelId}/typing", null, cancellationToken);

    public async Task<DiscordChannel> StartThreadAsync(string channelId, string messageId, string name, CancellationToken cancellationToken) =>
        DiscordJson.Read(await SendAsync(HttpMethod.Post, "POST /channels/{channel}/messages/{message}/threads", channelId, $"/channels/{channelId}/messages/{messageId}/threads",
            Body(new ThreadCreate(name), DiscordJson.Default.ThreadCreate), cancellationToken), DiscordJson.Default.DiscordChannel);

    /// <summary>The first response to an interaction (type 5: "thinking…"), due within 3 s of receiving it.</summary>
    public Task RespondToInteractionAsync(string interactionId, string interactionToken, InteractionResponse response, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "POST /interactions/{id}/{token}/callback", interactionId, $"/interactions/{interactionId}/{interactionToken}/callback",
            Body(response, DiscordJson.Default.InteractionResponse), cancellationToken);

    public async Task<DiscordMessage> EditOriginalResponseAsync(string applicationId, string interactionToken, MessagePayload message, CancellationToken cancellationToken) =>
        DiscordJson.Read(await SendAsync(HttpMethod.Patch, "PATCH /webhooks/{app}/{token}/messages/@original", $"{applicationId}/{interactionToken}",
            $"/webhooks/{applicationId}/{interactionToken}/messages/@original", Body(message with { AllowedMentions = AllowedMentions.None }, DiscordJson.Default.MessagePayload), cancellationToken),
            DiscordJson.Default.DiscordMessage);

    public async Task<DiscordMessage> CreateFollowupAsync(string applicationId, string interactionToken, MessagePayload message, CancellationToken cancellationToken) =>
        DiscordJson.Read(await SendAsync(HttpMethod.Post, "POST /webhooks/{app}/{token}", $"{applicationId}/{interactionToken}",
            $"/webhooks/{applicationId}/{interactionToken}", Body(message with { AllowedMentions = AllowedMentions.None }, DiscordJson.Default.MessagePayload), cancellationToken),
            DiscordJson.Default.DiscordMessage);

    /// <summary>Replaces the application's commands: in one guild (instant, for development) or globally.</summary>
    public Task BulkOverwriteCommandsAsync(string applicationId, string? guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken)
    {
        var body = Body(commands, DiscordJson.Default.IReadOnlyListApplicationCommand);
        return guildId is null
            ? SendAsync(HttpMethod.Put, "PUT /applications/{app}/commands", applicationId, $"/applications/{applicationId}/commands", body, cancellationToken)
            : SendAsync(HttpMethod.Put, "PUT /applications/{app}/guilds/{guild}/commands", applicationId, $"/applications/{applicationId}/guilds/{guildId}/commands", body, cancellationToken);
    }

    private static string Body<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);


    private Task<string?> SendAsync(HttpMethod method, string route, string major, string path, string? body, CancellationToken cancellationToken, int attempts = MaxAttempts) =>
        (attempts > 1 ? _retry : _rateLimitOnly).ExecuteAsync(
            static (state, ct) => new ValueTask<string?>(state.Client.TryAsync(state.Method, state.Route, state.Major, state.Path, state.Body, ct)),
            (Client: this, Method: method, Route: route, Major: major, Path: path, Body: body), cancellationToken).AsTask();

    /// <summary>
    /// One try: its turn from the limiter (interaction callbacks and their webhook follow-ups are exempt from the global
    /// limit, as Discord exempts them: a global pause must not make a 3-second acknowledgement miss its deadline), the
    /// request under its own deadline on the bot's clock, the limiter told what the response says. A 429 tells the
    /// limiter how long to hold the route (or everything) back and throws; so does a failure.
    /// </summary>
    private async Task<string?> TryAsync(HttpMethod method, string route, string major, string path, string? body, CancellationToken cancellationToken)
    {
        var global = !(route.StartsWith("POST /interactions/", StringComparison.Ordinal) || route.StartsWith("PATCH /webhooks/", StringComparison.Ordinal) || route.StartsWith("POST /webhooks/", StringComparison.Ordinal));
        using var turn = await limiter.AcquireAsync(route, major, cancellationToken, global);
        HttpResponseMessage response;
        using var request = new HttpRequestMessage(method, _base + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", token);
        request.Headers.UserAgent.ParseAdd("DiscordBot (https://github.com/chatbot-corpus, 1.0)");
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        // Each try has its own deadline on the bot's clock: a server that accepts and never answers is a failure the
        // caller retries, not a hang (HttpClient's own 100 s is far too long and not testable).
        using var deadline = new CancellationTokenSource(RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            response = await http.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"Discord {method} {route} did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
        using (response)
        {
            limiter.Update(route, major, response);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var (retryAfter, isGlobal) = RateLimit(response, text);
                LogRateLimited(logger, route, retryAfter, isGlobal);
                limiter.RateLimited(route, major, retryAfter, isGlobal);
            }
            if (!response.IsSuccessStatusCode)
                throw new DiscordApiException(response.StatusCode, $"Discord {method} {route} failed: {(int)response.StatusCode} {UpstreamText.Scrub(text, token)}");
            return text.Length == 0 ? null : text;
        }
    }

    /// <summary>A 429 is tried again at once (the limiter holds the turn back as long as Discord asked); 5xx and network failures back off.</summary>
    private static RetryDecision? Decide(Exception ex, int attempt, bool transient) => ex switch
    {
        DiscordApiException { Status: HttpStatusCode.TooManyRequests } => new RetryDecision(TimeSpan.Zero, "429", RateLimited: true),
        DiscordApiException api when transient && (int)api.Status >= 500 => new RetryDecision(Retry.Delay(attempt), $"{(int)api.Status} {api.Status}"),
        HttpRequestException when transient => new RetryDecision(Retry.Delay(attempt), ex.Message),
        _ => null,
    };

    private readonly Polly.ResiliencePipeline _retry = RetryPipeline.Create(time, MaxAttempts, (ex, attempt) => Decide(ex, attempt, transient: true), d =>
    {
        if (!d.RateLimited)
            LogRetrying(logger, d.Reason, d.Delay.TotalSeconds);
    });

    /// <summary>For calls whose caller retries failures itself (<c>GET /gateway/bot</c>): only a 429 is tried once more.</summary>
    private readonly Polly.ResiliencePipeline _rateLimitOnly = RetryPipeline.Create(time, 2, (ex, attempt) => Decide(ex, attempt, transient: false));

    private static (double RetryAfter, bool Global) RateLimit(HttpResponseMessage response, string body)
    {
        var global = response.Headers.TryGetValues("X-RateLimit-Global", out var flags) && flags.Any(f => f.Equals("true", StringComparison.OrdinalIgnoreCase));
        try
        {
            var limit = JsonSerializer.Deserialize(body, DiscordJson.Default.RateLimitResponse);
            if (limit is not null)
                return (limit.RetryAfter, global || limit.Global);
        }
        catch (JsonException)
        {
        }
        return (response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1, global);
    }

    private static readonly Backoff Retry = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord REST {Route}: rate limited for {Seconds} s (global: {Global})")]
    private static partial void LogRateLimited(ILogger logger, string route, double seconds, bool global);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord REST failed ({Reason}); retrying in {Seconds:0.#} s")]
    private static partial void LogRetrying(ILogger logger, string reason, double seconds);
}
