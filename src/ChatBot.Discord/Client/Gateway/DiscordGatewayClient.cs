using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ChatBot.Discord.Client.Gateway;

/// <summary>
/// A Discord Gateway v10 connection that keeps its session: Hello → Identify (or Resume), heartbeats with the jittered
/// first beat and zombie detection, op 7 and op 9, the close-code table, reconnects with backoff and jitter, the send
/// limit, multi-frame messages. It knows nothing of the bot: events go to <see cref="Dispatched"/>.
/// </summary>
public sealed partial class DiscordGatewayClient(
    GatewayOptions options,
    Func<CancellationToken, Task<string>> resolveGatewayUrl,
    TimeProvider time,
    ILogger<DiscordGatewayClient> logger) : IDisposable
{
    private const int MaxPayloadBytes = 4096;
    private readonly GatewaySendLimiter _limiter = new(time);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _acknowledged = true;

    /// <summary>Whether the current connection reached READY or RESUMED: a working connection that drops reconnects at once.</summary>
    private volatile bool _healthy;

    private enum Next { Resume, NewSession, Fatal, Stop }

    private sealed record Outcome(Next Next, bool Healthy, TimeSpan Delay, string Reason, int? CloseCode = null);

    public GatewaySession Session { get; } = new();

    /// <summary>Called for every dispatched event, in order, from the receiving loop: handlers must hand work off quickly.</summary>
    public event Func<GatewayDispatch, Task>? Dispatched;

    public int Connections { get; private set; }

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
                await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>1 s doubling with ±20 % jitter, capped; none after a connection that worked.</summary>
    private TimeSpan Backoff(int failures) => failures == 0
        ? TimeSpan.Zero
        : TimeSpan.FromMilliseconds(Math.Min(options.MaxReconnectDelay.TotalMilliseconds, 1000 * Math.Pow(2, failures - 1)) * (0.8 + 0.4 * Random.Shared.NextDouble()));

    private async Task<Outcome> RunConnectionAsync(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        var url = Session.CanResume ? Session.ResumeUrl! : options.GatewayUrl ?? await resolveGatewayUrl(cancellationToken);
        _healthy = false;
        await socket.ConnectAsync(new Uri(WithQuery(url)), cancellationToken);
        Connections++;
        _limiter.Reset();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var hello = await ReceiveAsync(socket, connection.Token)
            ?? throw new WebSocketException("The gateway closed before Hello.");
        if (hello.Op != GatewayOpCode.Hello)
            throw new InvalidOperationException($"Expected Hello (op 10), got op {hello.Op}.");
        var interval = TimeSpan.FromMilliseconds(hello.D.GetProperty("heartbeat_interval").GetDouble());

        if (Session.CanResume)
            await SendAsync(socket, GatewayOpCode.Resume, new JsonObject { ["token"] = options.Token, ["session_id"] = Session.SessionId, ["seq"] = Session.Sequence }, false, connection.Token);
        else
            await SendAsync(socket, GatewayOpCode.Identify, IdentifyData(), false, connection.Token);

        _acknowledged = true;
        var heartbeat = HeartbeatAsync(socket, interval, connection);
        try
        {
            return await ReceiveLoopAsync(socket, cancellationToken, connection.Token);
        }
        finally
        {
            await connection.CancelAsync();
            try
            {
                await heartbeat;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<Outcome> ReceiveLoopAsync(ClientWebSocket socket, CancellationToken stopping, CancellationToken connection)
    {
        var healthy = false;
        while (true)
        {
            GatewayPayload? payload;
            try
            {
                payload = await ReceiveAsync(socket, connection);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "shutting down");
                return new Outcome(Next.Stop, healthy, TimeSpan.Zero, "shutdown");
            }
            catch (OperationCanceledException)
            {
                return new Outcome(Next.Resume, healthy, TimeSpan.Zero, "heartbeat not acknowledged (zombie connection)");
            }
            if (payload is null)
                return Closed(socket, healthy);

            switch (payload.Op)
            {
                case GatewayOpCode.Dispatch:
                    Session.Sequence = payload.S ?? Session.Sequence;
                    if (payload.T == "READY")
                    {
                        Session.SessionId = payload.D.GetProperty("session_id").GetString();
                        Session.ResumeUrl = payload.D.GetProperty("resume_gateway_url").GetString();
                        healthy = _healthy = true;
                    }
                    else if (payload.T == "RESUMED")
                    {
                        healthy = _healthy = true;
                    }
                    await RaiseAsync(new GatewayDispatch(payload.T ?? "", payload.S ?? 0, payload.D));
                    break;
                case GatewayOpCode.Heartbeat:
                    await SendAsync(socket, GatewayOpCode.Heartbeat, Session.Sequence is { } seq ? JsonValue.Create(seq) : null, true, connection);
                    break;
                case GatewayOpCode.HeartbeatAck:
                    _acknowledged = true;
                    break;
                case GatewayOpCode.Reconnect:
                    await CloseAsync(socket, (WebSocketCloseStatus)4000, "reconnect requested");
                    return new Outcome(Next.Resume, true, TimeSpan.Zero, "Discord asked to reconnect (op 7)");
                case GatewayOpCode.InvalidSession:
                    var resumable = payload.D.ValueKind == JsonValueKind.True;
                    await CloseAsync(socket, (WebSocketCloseStatus)4000, "invalid session");
                    // Discord asks for a pause of 1–5 s before identifying again.
                    var pause = resumable ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1000 + 4000 * options.Jitter());
                    return new Outcome(resumable ? Next.Resume : Next.NewSession, true, pause, $"invalid session (op 9, resumable: {resumable})");
            }
        }
    }

    private static Outcome Closed(ClientWebSocket socket, bool healthy)
    {
        var code = (int?)socket.CloseStatus;
        return GatewayCloseCodes.ActionFor(code) switch
        {
            CloseAction.Fatal => new Outcome(Next.Fatal, healthy, TimeSpan.Zero, GatewayCloseCodes.Explain(code!.Value), code),
            CloseAction.NewSession => new Outcome(Next.NewSession, healthy, TimeSpan.Zero, $"closed with {code} (new session)", code),
            _ => new Outcome(Next.Resume, healthy, TimeSpan.Zero, $"closed with {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}", code),
        };
    }

    /// <summary>
    /// First beat after interval × jitter, then every interval. A beat due while the previous one is unacknowledged
    /// means the connection is a zombie: it is closed (not with 1000, so the session stays resumable).
    /// </summary>
    private async Task HeartbeatAsync(ClientWebSocket socket, TimeSpan interval, CancellationTokenSource connection)
    {
        var token = connection.Token;
        await Task.Delay(interval * options.Jitter(), time, token);
        while (!token.IsCancellationRequested)
        {
            if (!_acknowledged)
            {
                // A zombie may never answer a close either: close best effort, then stop reading.
                await CloseAsync(socket, (WebSocketCloseStatus)4000, "zombie connection");
                await connection.CancelAsync();
                return;
            }
            _acknowledged = false;
            await SendAsync(socket, GatewayOpCode.Heartbeat, Session.Sequence is { } seq ? JsonValue.Create(seq) : null, true, token);
            await Task.Delay(interval, time, token);
        }
    }

    private JsonObject IdentifyData()
    {
        var data = new JsonObject
        {
            ["token"] = options.Token,
            ["intents"] = (int)options.Intents,
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "chatbot", ["device"] = "chatbot" },
        };
        if (options.ShardId is { } id && options.ShardCount is { } count)
            data["shard"] = new JsonArray(id, count);
        return data;
    }

    private async Task SendAsync(ClientWebSocket socket, int op, JsonNode? data, bool heartbeat, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["op"] = op, ["d"] = data }.ToJsonString());
        if (bytes.Length > MaxPayloadBytes)
            throw new InvalidOperationException($"Gateway payload of {bytes.Length} bytes exceeds Discord's {MaxPayloadBytes}.");
        await _limiter.WaitAsync(heartbeat, cancellationToken);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>One message, however many frames it spans; null once the server closes.</summary>
    private static async Task<GatewayPayload?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                break;
        }
        return JsonSerializer.Deserialize<GatewayPayload>(message.ToArray());
    }

    private async Task RaiseAsync(GatewayDispatch dispatch)
    {
        if (Dispatched is null)
            return;
        try
        {
            await Dispatched(dispatch);
        }
#pragma warning disable CA1031 // a handler's failure must never stop the gateway loop
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(logger, ex, dispatch.Type);
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    private static string WithQuery(string url) =>
        url.Contains("v=10", StringComparison.Ordinal) ? url : url.TrimEnd('/') + (url.Contains('?', StringComparison.Ordinal) ? "&" : "/?") + "v=10&encoding=json";

    public void Dispose() => _sendLock.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: {Reason}; reconnecting ({Mode}) in {Seconds:0.#} s")]
    private static partial void LogReconnecting(ILogger logger, string reason, string mode, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord gateway: handler for {Event} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string @event);
}
