using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Support.Discord;

/// <summary>
/// Discord on 127.0.0.1: a Gateway v10 WebSocket (Hello, READY after Identify, RESUMED and replay after Resume,
/// heartbeat ACKs unless told not to, op 7/op 9 and close codes on demand, events in several frames) and the REST
/// routes the bot uses, with <c>X-RateLimit-*</c> headers and queued 429s. Everything received is recorded.
/// It enforces what the real service enforces: the session-start budget of <c>/gateway/bot</c> (an Identify past it
/// closes 4004, as Discord resets the token), the 3-second interaction deadline (404 code 10062 after it), threads
/// only from text and announcement channels (400 code 50024 elsewhere); and it can fail as the real one does:
/// <c>/gateway/bot</c> answering 5xx or never answering, op 9 to every Identify, an unreachable resume URL.
/// </summary>
public sealed class FakeDiscord : IAsyncDisposable
{
    public const string Token = "fake-discord-token";
    public const string BotId = "900000000000000001";
    public const string ApplicationId = "900000000000000002";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _received = new();
    private readonly ConcurrentQueue<RestCall> _rest = new();
    private readonly ConcurrentQueue<(string Route, int Status, double RetryAfter, bool Global)> _faults = new();
    private readonly List<(int Seq, string Type, JsonNode Data)> _events = [];
    private readonly Lock _lock = new();
    private WebSocket? _socket;
    private readonly ConcurrentBag<WebSocket> _sockets = [];
    private TaskCompletionSource? _closed;
    private int _seq;
    private int _nextId = 1000;

    public sealed record RestCall(string Method, string Path, JsonNode? Body, DateTimeOffset At, string? Authorization);

    private FakeDiscord(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();
    public string ApiBaseUrl => BaseUrl + "/api/v10";
    public string GatewayUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway";
    public int HeartbeatIntervalMs { get; set; } = 41250;
    public bool AcknowledgeHeartbeats { get; set; } = true;
    public string SessionId { get; } = "session-" + Guid.NewGuid().ToString("N")[..8];
    private int _connections;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The status <c>/gateway/bot</c> answers with instead of its JSON (e.g. 502), or null.</summary>
    public int? GatewayBotFailure { get; set; }

    /// <summary>When set, <c>/gateway/bot</c> never answers (a stalled load balancer).</summary>
    public bool GatewayBotHangs { get; set; }

    /// <summary>Identifies left in the session-start budget; an Identify at 0 is closed with 4004.</summary>
    public int IdentifiesRemaining { get; set; } = 1000;

    public double IdentifyResetAfterMs { get; set; } = 60_000;

    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Every Identify is answered with op 9 (invalid session, not resumable): an identify storm's trigger.</summary>
    public bool InvalidateEveryIdentify { get; set; }

    /// <summary>The <c>resume_gateway_url</c> answers 502 instead of upgrading to a WebSocket.</summary>
    public bool ResumeUrlUnreachable { get; set; }

    /// <summary>Discord's deadline for an interaction's first callback.</summary>
    public TimeSpan InteractionDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The channel types <c>GET /channels/{id}</c> reports (text, type 0, when not listed).</summary>
    public ConcurrentDictionary<string, int> ChannelTypes { get; } = new();

    /// <summary>
    /// Whether answers carry <c>X-RateLimit-*</c> headers (a bucket of 5 per second). Off for tests on a fake clock
    /// that answer many questions between two of its steps: the client would wait for a reset that never comes.
    /// </summary>
    public bool SendRateLimitHeaders { get; set; } = true;

    /// <summary>While set, <c>POST /channels/{id}/messages</c> waits for it: an answer held in flight.</summary>
    public TaskCompletionSource? HoldMessages { get; set; }

    private readonly ConcurrentDictionary<string, DateTimeOffset> _interactionsSent = new();
    private int _identifies;
    private int _resumeAttempts;

    public int Identifies => Volatile.Read(ref _identifies);

    private int _resumed;

    /// <summary>How many RESUMED events were sent: a resume is complete, and events dispatched now go out live.</summary>
    public int Resumed => Volatile.Read(ref _resumed);

    public int ResumeAttempts => Volatile.Read(ref _resumeAttempts);

    /// <summary>What <c>/gateway/bot</c> would say now, for clients built without the REST client.</summary>
    public Task<ChatBot.Discord.Client.Gateway.GatewayInfo> GetGatewayInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ChatBot.Discord.Client.Gateway.GatewayInfo(GatewayUrl, 1000, IdentifiesRemaining, TimeSpan.FromMilliseconds(IdentifyResetAfterMs), MaxConcurrency));

    /// <summary>Gateway payloads the client sent, in order, across connections.</summary>
    public IReadOnlyList<JsonObject> Received => _received.ToList();

    public IReadOnlyList<RestCall> Rest => _rest.ToList();

    public IReadOnlyList<RestCall> Messages => Rest.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

    public static async Task<FakeDiscord> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDiscord(app);
        app.UseWebSockets();
        app.Map("/gateway/{**rest}", (Func<HttpContext, Task>)fake.GatewayAsync);
        app.Map("/resume/{**rest}", (Func<HttpContext, Task>)fake.ResumeAsync);
        app.Map("/api/v10/{**path}", (Func<HttpContext, string, Task>)fake.RestAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>Queues a 429 for the next call whose path contains <paramref name="route"/>.</summary>
    public void RateLimitNext(string route, double retryAfter, bool global = false) => _faults.Enqueue((route, 429, retryAfter, global));

    /// <summary>Sends an event to the connected client (and keeps it for replay after a resume).</summary>
    public async Task DispatchAsync(string type, JsonNode data, bool split = false)
    {
        int seq;
        lock (_lock)
        {
            seq = ++_seq;
            _events.Add((seq, type, data.DeepClone()));
        }
        if (type == "INTERACTION_CREATE" && data["id"] is { } id)
            _interactionsSent[id.GetValue<string>()] = DateTimeOffset.UtcNow;
        if (_socket is { State: WebSocketState.Open } socket)
            await SendAsync(socket, new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data.DeepClone() }, split);
    }

    /// <summary>An event the client misses: sent to nobody, replayed on resume.</summary>
    public void Miss(string type, JsonNode data)
    {
        lock (_lock)
            _events.Add((++_seq, type, data.DeepClone()));
    }

    public Task SendOpAsync(int op, JsonNode? data = null) => SendAsync(_socket!, new JsonObject { ["op"] = op, ["d"] = data });

    public async Task CloseAsync(int code, string reason)
    {
        if (_socket is { State: WebSocketState.Open } socket)
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
    }

    /// <summary>Drops the connection without a close frame (a network failure).</summary>
    public void Abort() => _socket?.Abort();

    public Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(condition, () => $"{what} (ops received: {string.Join(",", Received.Select(r => r["op"]))})", timeout);

    public static JsonObject Message(string channelId, string content, string authorId = "42", string? guildId = "777", bool mentionBot = false, bool bot = false, bool everyone = false, JsonObject? replyToBot = null, bool webhook = false)
    {
        var message = new JsonObject
        {
            ["id"] = Guid.NewGuid().GetHashCode().ToString("D", System.Globalization.CultureInfo.InvariantCulture).TrimStart('-') + "1",
            ["channel_id"] = channelId,
            ["author"] = new JsonObject { ["id"] = authorId, ["username"] = "ada", ["bot"] = bot },
            ["content"] = content,
            ["mentions"] = mentionBot ? new JsonArray(new JsonObject { ["id"] = BotId, ["username"] = "corpus" }) : new JsonArray(),
            ["mention_everyone"] = everyone,
        };
        if (guildId is not null)
            message["guild_id"] = guildId;
        if (replyToBot is not null)
            message["referenced_message"] = replyToBot;
        if (webhook)
            message["webhook_id"] = "555";
        return message;
    }

    private Task ResumeAsync(HttpContext http)
    {
        Interlocked.Increment(ref _resumeAttempts);
        if (!ResumeUrlUnreachable)
            return GatewayAsync(http);
        http.Response.StatusCode = 502;
        return Task.CompletedTask;
    }

    private async Task GatewayAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        _sockets.Add(socket);
        Interlocked.Increment(ref _connections);
        _socket = socket;
        _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendAsync(socket, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMs } });
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var payload = JsonNode.Parse(message.ToArray())!.AsObject();
                _received.Enqueue(payload);
                await OnPayloadAsync(socket, payload);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private async Task OnPayloadAsync(WebSocket socket, JsonObject payload)
    {
        switch (payload["op"]!.GetValue<int>())
        {
            case 1 when AcknowledgeHeartbeats:
                await SendAsync(socket, new JsonObject { ["op"] = 11 });
                break;
            case 2:
                Interlocked.Increment(ref _identifies);
                if (payload["d"]!["token"]!.GetValue<string>() != Token || IdentifiesRemaining <= 0)
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)4004, "Authentication failed.", CancellationToken.None);
                    return;
                }
                IdentifiesRemaining--;
                if (InvalidateEveryIdentify)
                {
                    await SendAsync(socket, new JsonObject { ["op"] = 9, ["d"] = false });
                    return;
                }
                await DispatchAsync("READY", new JsonObject
                {
                    ["v"] = 10,
                    ["session_id"] = SessionId,
                    ["resume_gateway_url"] = BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/resume",
                    ["user"] = new JsonObject { ["id"] = BotId, ["username"] = "corpus", ["bot"] = true },
                    ["application"] = new JsonObject { ["id"] = ApplicationId },
                    ["guilds"] = new JsonArray(),
                });
                break;
            case 6:
                var from = payload["d"]!["seq"]?.GetValue<int>() ?? 0;
                List<(int Seq, string Type, JsonNode Data)> missed;
                lock (_lock)
                    missed = _events.Where(e => e.Seq > from).ToList();
                foreach (var (seq, type, data) in missed)
                    await SendAsync(socket, new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data.DeepClone() });
                int resumedSeq;
                lock (_lock)
                    resumedSeq = ++_seq;
                await SendAsync(socket, new JsonObject { ["op"] = 0, ["s"] = resumedSeq, ["t"] = "RESUMED", ["d"] = new JsonObject() });
                Interlocked.Increment(ref _resumed);
                break;
        }
    }

    private async Task RestAsync(HttpContext http, string path)
    {
        JsonNode? body = null;
        if (http.Request.ContentLength > 0 || http.Request.ContentType?.Contains("json", StringComparison.Ordinal) == true)
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync();
            body = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        var call = new RestCall(http.Request.Method, "/" + path, body, DateTimeOffset.UtcNow, http.Request.Headers.Authorization.ToString());
        _rest.Enqueue(call);
        http.Response.ContentType = "application/json";
        if (call.Authorization != "Bot " + Token)
        {
            http.Response.StatusCode = 401;
            await http.Response.WriteAsync("""{"message": "401: Unauthorized", "code": 0}""");
            return;
        }
        if (_faults.TryPeek(out var fault) && call.Path.Contains(fault.Route, StringComparison.Ordinal) && _faults.TryDequeue(out fault))
        {
            http.Response.StatusCode = fault.Status;
            if (fault.Global)
                http.Response.Headers["X-RateLimit-Global"] = "true";
            http.Response.Headers["Retry-After"] = Math.Ceiling(fault.RetryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await http.Response.WriteAsync(new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = fault.RetryAfter, ["global"] = fault.Global }.ToJsonString());
            return;
        }
        if (SendRateLimitHeaders)
        {
            http.Response.Headers["X-RateLimit-Bucket"] = "bucket-" + path.Split('/')[0];
            http.Response.Headers["X-RateLimit-Limit"] = "5";
            http.Response.Headers["X-RateLimit-Remaining"] = "4";
            http.Response.Headers["X-RateLimit-Reset-After"] = "1.0";
        }

        if (call.Method == "GET" && path == "gateway/bot")
        {
            if (GatewayBotHangs)
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            if (GatewayBotFailure is { } status)
            {
                http.Response.StatusCode = status;
                await http.Response.WriteAsync("""{"message": "upstream error", "code": 0}""");
                return;
            }
            await http.Response.WriteAsync(new JsonObject { ["url"] = GatewayUrl, ["shards"] = 1, ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = IdentifiesRemaining, ["reset_after"] = IdentifyResetAfterMs, ["max_concurrency"] = MaxConcurrency } }.ToJsonString());
            return;
        }
        if (call.Method == "GET" && path.StartsWith("channels/", StringComparison.Ordinal) && path.Count(c => c == '/') == 1)
        {
            var id = path.Split('/')[1];
            await http.Response.WriteAsync(new JsonObject { ["id"] = id, ["type"] = ChannelTypes.GetValueOrDefault(id, 0) }.ToJsonString());
            return;
        }
        if (path.StartsWith("interactions/", StringComparison.Ordinal) && path.EndsWith("/callback", StringComparison.Ordinal)
            && _interactionsSent.TryGetValue(path.Split('/')[1], out var sentAt) && DateTimeOffset.UtcNow - sentAt > InteractionDeadline)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("""{"message": "Unknown interaction", "code": 10062}""");
            return;
        }
        if (path.EndsWith("/threads", StringComparison.Ordinal) && ChannelTypes.GetValueOrDefault(path.Split('/')[1], 0) is not (0 or 5))
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsync("""{"message": "Cannot execute action on this channel type", "code": 50024}""");
            return;
        }
        if (call.Method == "POST" && path.StartsWith("channels/", StringComparison.Ordinal) && path.EndsWith("/messages", StringComparison.Ordinal) && HoldMessages is { } hold)
            await hold.Task;
        if (body is JsonObject message && message["content"] is { } content && content.GetValue<string>().Length > 2000)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsync("""{"message": "Invalid Form Body", "code": 50035, "errors": {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}}""");
            return;
        }
        if (path.EndsWith("/typing", StringComparison.Ordinal) || path.EndsWith("/callback", StringComparison.Ordinal))
        {
            http.Response.StatusCode = 204;
            return;
        }
        if (path.EndsWith("/threads", StringComparison.Ordinal))
        {
            await http.Response.WriteAsync(new JsonObject { ["id"] = NextId(), ["type"] = 11, ["name"] = (body as JsonObject)?["name"]?.GetValue<string>() }.ToJsonString());
            return;
        }
        if (path.Contains("/commands", StringComparison.Ordinal))
        {
            await http.Response.WriteAsync(body?.ToJsonString() ?? "[]");
            return;
        }
        var channel = path.StartsWith("channels/", StringComparison.Ordinal) ? path.Split('/')[1] : "webhook";
        await http.Response.WriteAsync(new JsonObject { ["id"] = NextId(), ["channel_id"] = channel, ["content"] = (body as JsonObject)?["content"]?.DeepClone(), ["author"] = new JsonObject { ["id"] = BotId, ["bot"] = true } }.ToJsonString());
    }

    private string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly SemaphoreSlim SendLock = new(1, 1);

    private static async Task SendAsync(WebSocket socket, JsonObject payload, bool split = false)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        await SendLock.WaitAsync();
        try
        {
            if (socket.State != WebSocketState.Open)
                return;
            if (!split)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
                return;
            }
            // One message over several frames, as Discord does for large payloads.
            for (var offset = 0; offset < bytes.Length; offset += 7)
                await socket.SendAsync(bytes.AsMemory(offset, Math.Min(7, bytes.Length - offset)), WebSocketMessageType.Text, offset + 7 >= bytes.Length, CancellationToken.None);
        }
        finally
        {
            SendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets)
            socket.Abort();
        // A client that reconnects while the server stops must not hold it for Kestrel's 30-second grace period.
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
    }
}
