using System.Text.Json.Nodes;
using ChatBot.Discord;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Tests.Support.Discord;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Discord;

/// <summary>The gateway client alone against the fake, heartbeats timed by a <see cref="FakeTimeProvider"/>.</summary>
public sealed class DiscordGatewayTests : IAsyncLifetime
{
    private FakeDiscord _discord = null!;
    private readonly FakeTimeProvider _time = new();
    private readonly List<GatewayDispatch> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private DiscordGatewayClient _client = null!;
    private Task _run = Task.CompletedTask;

    public async ValueTask InitializeAsync() => _discord = await FakeDiscord.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is DiscordGatewayFatalException or TimeoutException or OperationCanceledException)
        {
        }
        _client?.Dispose();
        await _discord.DisposeAsync();
        _stop.Dispose();
    }

    private void Start(string token = FakeDiscord.Token)
    {
        var options = new GatewayOptions(token, DiscordServiceCollectionExtensions.Intents) { GatewayUrl = _discord.GatewayUrl, Jitter = () => 0.5 };
        _client = new DiscordGatewayClient(options, _ => Task.FromResult(_discord.GatewayUrl), _time, NullLogger<DiscordGatewayClient>.Instance);
        _client.Dispatched += e =>
        {
            lock (_events)
                _events.Add(e);
            return Task.CompletedTask;
        };
        _run = _client.RunAsync(_stop.Token);
    }

    private List<JsonObject> Ops(int op) => _discord.Received.Where(p => p["op"]!.GetValue<int>() == op).ToList();

    private Task WaitForOp(int op, int count, string what) => _discord.WaitForAsync(() => Ops(op).Count >= count, what);

    private async Task WaitForEvent(string type)
    {
        await _discord.WaitForAsync(() => { lock (_events) return _events.Any(e => e.Type == type); }, type);
        await Task.Delay(50); // let the client reach its next wait on the fake clock
    }

    [Fact]
    public async Task Identify_carries_the_token_intents_and_properties()
    {
        Start();
        await WaitForEvent("READY");

        var identify = Assert.Single(Ops(GatewayOpCode.Identify))["d"]!;
        Assert.Equal(FakeDiscord.Token, identify["token"]!.GetValue<string>());
        Assert.Equal(1 | 512 | 4096 | 32768, identify["intents"]!.GetValue<int>());
        Assert.Equal("linux", identify["properties"]!["os"]!.GetValue<string>());
        Assert.Equal(_discord.SessionId, _client.Session.SessionId);
    }

    [Fact]
    public async Task Heartbeats_start_after_the_jittered_interval_then_follow_it_with_the_last_sequence()
    {
        Start();
        await WaitForEvent("READY");
        await _discord.DispatchAsync("GUILD_CREATE", new JsonObject { ["id"] = "777" });
        await WaitForEvent("GUILD_CREATE");

        _time.Advance(TimeSpan.FromMilliseconds(20_624));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Empty(Ops(GatewayOpCode.Heartbeat));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForOp(GatewayOpCode.Heartbeat, 1, "first heartbeat");
        Assert.Equal(2, Ops(GatewayOpCode.Heartbeat)[0]["d"]!.GetValue<int>());

        await Task.Delay(100, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(41_249));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Single(Ops(GatewayOpCode.Heartbeat));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForOp(GatewayOpCode.Heartbeat, 2, "second heartbeat");
    }

    [Fact]
    public async Task A_missing_ack_closes_the_zombie_and_resumes_with_the_last_sequence()
    {
        _discord.AcknowledgeHeartbeats = false;
        Start();
        await WaitForEvent("READY");
        await _discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message("10", "un"));
        await WaitForEvent("MESSAGE_CREATE");

        _time.Advance(TimeSpan.FromMilliseconds(20_625));
        await WaitForOp(GatewayOpCode.Heartbeat, 1, "heartbeat");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(41_250));
        await WaitForOp(GatewayOpCode.Resume, 1, "resume");

        var resume = Ops(GatewayOpCode.Resume)[0]["d"]!;
        Assert.Equal(_discord.SessionId, resume["session_id"]!.GetValue<string>());
        Assert.Equal(2, resume["seq"]!.GetValue<int>());
        Assert.Equal(2, _discord.Connections);
        Assert.Single(Ops(GatewayOpCode.Identify));
    }

    [Fact]
    public async Task Op_7_reconnects_and_resumes_and_missed_events_are_replayed()
    {
        Start();
        await WaitForEvent("READY");

        _discord.Miss("MESSAGE_CREATE", FakeDiscord.Message("10", "pendant la reconnexion"));
        await _discord.SendOpAsync(GatewayOpCode.Reconnect);
        await WaitForEvent("RESUMED");

        Assert.Single(Ops(GatewayOpCode.Resume));
        Assert.Single(Ops(GatewayOpCode.Identify));
        lock (_events)
            Assert.Contains(_events, e => e.Type == "MESSAGE_CREATE" && e.Data.GetProperty("content").GetString() == "pendant la reconnexion");
    }

    [Fact]
    public async Task Op_9_not_resumable_identifies_again_after_a_pause()
    {
        Start();
        await WaitForEvent("READY");

        await _discord.SendOpAsync(GatewayOpCode.InvalidSession, JsonValue.Create(false));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Single(Ops(GatewayOpCode.Identify)); // still pausing (1–5 s on the fake clock)
        _time.Advance(TimeSpan.FromSeconds(3));
        await WaitForOp(GatewayOpCode.Identify, 2, "second identify");

        Assert.Empty(Ops(GatewayOpCode.Resume));
    }

    [Fact]
    public async Task A_dropped_connection_resumes_and_loses_no_event()
    {
        Start();
        await WaitForEvent("READY");

        _discord.Abort();
        _discord.Miss("MESSAGE_CREATE", FakeDiscord.Message("10", "perdu ?"));
        await WaitForEvent("RESUMED");

        lock (_events)
            Assert.Contains(_events, e => e.Type == "MESSAGE_CREATE" && e.Data.GetProperty("content").GetString() == "perdu ?");
    }

    [Fact]
    public async Task A_message_spread_over_many_frames_is_read_whole()
    {
        Start();
        await WaitForEvent("READY");

        await _discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message("10", new string('é', 3000)), split: true);
        await WaitForEvent("MESSAGE_CREATE");

        lock (_events)
            Assert.Equal(3000, _events.Single(e => e.Type == "MESSAGE_CREATE").Data.GetProperty("content").GetString()!.Length);
    }

    [Theory]
    [InlineData(4004, "ChatBot:Discord:Token")]
    [InlineData(4014, "enable the Message Content intent in the Developer Portal")]
    public async Task A_fatal_close_stops_with_a_clear_error_and_no_retry_storm(int code, string message)
    {
        Start();
        await WaitForEvent("READY");

        await _discord.CloseAsync(code, "fatal");
        var error = await Assert.ThrowsAsync<DiscordGatewayFatalException>(() => _run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(code, error.CloseCode);
        Assert.Equal(1, _discord.Connections);
    }

    [Fact]
    public async Task A_bad_token_is_fatal_at_identify()
    {
        Start(token: "wrong");

        var error = await Assert.ThrowsAsync<DiscordGatewayFatalException>(() => _run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

        Assert.Equal(4004, error.CloseCode);
        Assert.Equal(1, _discord.Connections);
    }
}
