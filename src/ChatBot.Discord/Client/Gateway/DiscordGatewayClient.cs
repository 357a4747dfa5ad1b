using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChatBot.Discord.Client.Model;
using Microsoft.Extensions.Logging;

namespace ChatBot.Discord.Client.Gateway;

/// <summary>
/// A Discord Gateway v10 connection that keeps its session: Hello → Identify (or Resume), heartbeats with the jittered
/// first beat and zombie detection, op 7 and op 9, the close-code table, reconnects with backoff and jitter, the send
/// limit, multi-frame messages. Identify stays within <c>session_start_limit</c> (never past <c>remaining</c>, at most
/// <c>max_concurrency</c> per 5 s); an op 9 counts as a failure, so a storm of them backs off; a resume URL that cannot
/// be reached is given up for the cached <c>/gateway/bot</c> URL. It knows nothing of the bot: events go to
/// <see cref="Dispatched"/>.
/// </summary>
public sealed partial class DiscordGatewayClient(
    GatewayOptions options,
    Func<CancellationToken, Task<GatewayInfo>> fetchGateway,
    TimeProvider time,
    ILogger<DiscordGatewayClient> logger) : IDisposable
{
    private const int MaxPayloadBytes = 4096;
    private readonly GatewaySendLimiter _limiter = new(time);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, GatewayWait> _waits = new();
    private readonly GatewayHeartbeat _heartbeat = new(time, options.Jitter);
    private readonly GatewayReconnectPolicy _policy = new(options, fetchGateway, time, logger);
    private int _nextWait;

    /// <summary>Whether the current connection reached READY or RESUMED: a working connection that drops reconnects at once.</summary>
    private volatile bool _healthy;

    private enum Next { Resume, NewSession, Fatal, Stop }

    private sealed record Outcome(Next Next, bool Healthy, TimeSpan Delay, string Reason, int? CloseCode = null);

    public GatewaySession Session { get; } = new();

    /// <summary>Called for every dispatched event, in order, from the receiving loop: handlers must hand work off quickly.</summary>
    public event Func<GatewayDispatch, Task>? Dispatched;

    public int Connections { get; private set; }

    /// <summary>How many times this client identified (started a new session).</summary>
    public int Identifies => _policy.Identifies;

    /// <summary>How long Discord took to acknowledge the last heartbeat (null before the first), for the operator console.</summary>
    public TimeSpan? HeartbeatLatency => _heartbeat.Latency;

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
                _policy.ConnectionFailed();
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
            var delay = outcome.Delay + _policy.Backoff(failures);
            LogReconnecting(logger, outcome.Reason, outcome.Next == Next.Resume ? "resume" : "new session", delay.TotalSeconds);
            if (delay > TimeSpan.Zero)
                await WaitAsync(delay, "reconnect", cancellationToken);
        }
    }

    /// <summary>The waits in progress (reconnect backoff, identify budget, heartbeat), each with its due time: tests advance a fake clock to them.</summary>
    public IReadOnlyCollection<GatewayWait> Waiting => _waits.Values.ToList();

    /// <summary>A wait on the client's clock, visible in <see cref="Waiting"/> while it lasts.</summary>
    private async Task WaitAsync(TimeSpan delay, string reason, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextWait);
        var wait = Task.Delay(delay, time, cancellationToken);
        _waits[id] = new GatewayWait(reason, delay, time.GetUtcNow() + delay);
        try
        {
            await wait;
        }
        finally
        {
            _waits.TryRemove(id, out _);
        }
    }

    private async Task<Outcome> RunConnectionAsync(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        var url = await _policy.NextUrlAsync(Session, WaitAsync, cancellationToken);
        _healthy = false;
        await socket.ConnectAsync(new Uri(WithQuery(url)), cancellationToken);
        Connections++;
        _limiter.Reset();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var hello = await ReceiveAsync(socket, connection.Token)
            ?? throw new WebSocketException("The gateway closed before Hello.");
        if (hello.Op != GatewayOpCode.Hello)
            throw new InvalidOperationException($"Expected Hello (op 10), got op {hello.Op}.");
        _policy.Answered();
        var interval = TimeSpan.FromMilliseconds(DiscordJson.Read(hello.D, DiscordJson.Default.HelloEvent).HeartbeatInterval);

        if (Session.CanResume)
            await SendAsync(socket, GatewayOpCode.Resume, new ResumeCommand { Token = options.Token, SessionId = Session.SessionId!, Sequence = Session.Sequence }, DiscordJson.Default.ResumeCommand, false, connection.Token);
        else
            await SendAsync(socket, GatewayOpCode.Identify, Identify(), DiscordJson.Default.IdentifyCommand, false, connection.Token);

        _heartbeat.Reset();
        var heartbeat = _heartbeat.RunAsync(interval, ct => SendHeartbeatAsync(socket, ct), async () =>
        {
            // A zombie may never answer a close either: close best effort (not with 1000, so the session stays resumable), then stop reading.
            await CloseAsync(socket, (WebSocketCloseStatus)4000, "zombie connection");
            await connection.CancelAsync();
        }, WaitAsync, connection.Token);
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
                        var ready = DiscordJson.Read(payload.D, DiscordJson.Default.ReadyEvent);
                        Session.SessionId = ready.SessionId;
                        Session.ResumeUrl = ready.ResumeGatewayUrl;
                        healthy = _healthy = true;
                        _policy.SessionReady();
                    }
                    else if (payload.T == "RESUMED")
                    {
                        healthy = _healthy = true;
                    }
                    await RaiseAsync(new GatewayDispatch(payload.T ?? "", payload.S ?? 0, payload.D));
                    break;
                case GatewayOpCode.Heartbeat:
                    await SendHeartbeatAsync(socket, connection);
                    break;
                case GatewayOpCode.HeartbeatAck:
                    _heartbeat.Acknowledged();
                    break;
                case GatewayOpCode.Reconnect:
                    await CloseAsync(socket, (WebSocketCloseStatus)4000, "reconnect requested");
                    return new Outcome(Next.Resume, healthy, TimeSpan.Zero, "Discord asked to reconnect (op 7)");
                case GatewayOpCode.InvalidSession:
                    var resumable = payload.D.ValueKind == JsonValueKind.True;
                    await CloseAsync(socket, (WebSocketCloseStatus)4000, "invalid session");
                    // Discord asks for a pause of 1–5 s before identifying again. An op 9 is never a healthy connection: a
                    // storm of them (every Identify refused) backs off further each time instead of starting over.
                    var pause = resumable ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1000 + 4000 * options.Jitter());
                    return new Outcome(resumable ? Next.Resume : Next.NewSession, false, pause, $"invalid session (op 9, resumable: {resumable})");
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

    private IdentifyCommand Identify() => new()
    {
        Token = options.Token,
        Intents = (int)options.Intents,
        Shard = options.ShardId is { } id && options.ShardCount is { } count ? [id, count] : null,
    };

    private Task SendHeartbeatAsync(ClientWebSocket socket, CancellationToken cancellationToken) =>
        SendAsync(socket, GatewayOpCode.Heartbeat, Session.Sequence, DiscordJson.Default.NullableInt32, true, cancellationToken);

    /// <summary>Sends <c>{"op": op, "d": data}</c>; a heartbeat may use the slots kept for heartbeats.</summary>
    private async Task SendAsync<T>(ClientWebSocket socket, int op, T data, JsonTypeInfo<T> type, bool heartbeat, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("op", op);
            writer.WritePropertyName("d");
            JsonSerializer.Serialize(writer, data, type);
            writer.WriteEndObject();
        }
        var bytes = buffer.WrittenMemory;
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
        return JsonSerializer.Deserialize(message.ToArray(), DiscordJson.Default.GatewayPayload);
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
