using ChatBot.Discord;
using ChatBot.Discord.Client.Gateway;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Discord;
using System.Text.Json.Nodes;
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
        _client = new DiscordGatewayClient(options, _discord.GetGatewayInfoAsync, _time, NullLogger<DiscordGatewayClient>.Instance);
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
        await WaitUntilWaiting("heartbeat"); // the client is at its next wait on the fake clock
    }

    /// <summary>
    /// Until the fake has seen <paramref name="count"/> identifies: each time the client waits instead (Discord allows
    /// max_concurrency identifies per 5 s), the fake clock is moved to the end of that wait.
    /// </summary>
    private async Task IdentifyNumber(int count)
    {
        while (true)
        {
            GatewayWait? wait = null;
            await _discord.WaitForAsync(() => Ops(GatewayOpCode.Identify).Count >= count
                || (wait = _client.Waiting.FirstOrDefault(w => w.Reason == "identify-concurrency" && w.Due > _time.GetUtcNow())) is not null, $"identify {count}");
            if (Ops(GatewayOpCode.Identify).Count >= count)
                return;
            _time.Advance(wait!.Due - _time.GetUtcNow());
        }
    }

    /// <summary>The wait for <paramref name="reason"/> the client entered after the fake clock's present: nothing races it.</summary>
    private async Task<GatewayWait> WaitUntilWaiting(string reason)
    {
        GatewayWait? found = null;
        await _discord.WaitForAsync(() => (found = _client.Waiting.FirstOrDefault(w => w.Reason == reason && w.Due > _time.GetUtcNow())) is not null, "a wait for " + reason);
        return found!;
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
        Assert.Empty(Ops(GatewayOpCode.Heartbeat)); // its timer is still 1 ms away: it cannot have fired
        Assert.Null(_client.HeartbeatLatency);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForOp(GatewayOpCode.Heartbeat, 1, "first heartbeat");
        Assert.Equal(2, Ops(GatewayOpCode.Heartbeat)[0]["d"]!.GetValue<int>());
        // The fake acknowledges at once and the bot's clock stood still: the round trip the console shows is 0 ms.
        await Eventually.WaitAsync(() => _client.HeartbeatLatency == TimeSpan.Zero, "the ACK's round trip measured");

        var next = await WaitUntilWaiting("heartbeat");
        Assert.Equal(TimeSpan.FromMilliseconds(41_250), next.Delay);
        _time.Advance(TimeSpan.FromMilliseconds(41_249));
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
        await WaitUntilWaiting("heartbeat");
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
        var pause = await WaitUntilWaiting("reconnect");
        Assert.InRange(pause.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(7)); // Discord's 1–5 s, plus a first backoff step
        Assert.Single(Ops(GatewayOpCode.Identify));
        _time.Advance(pause.Delay);
        await IdentifyNumber(2);

        Assert.Empty(Ops(GatewayOpCode.Resume));
    }

    [Fact]
    public async Task A_storm_of_op_9_backs_off_further_each_time_instead_of_identifying_every_few_seconds()
    {
        _discord.InvalidateEveryIdentify = true;
        Start();

        var pauses = new List<TimeSpan>();
        for (var i = 1; i <= 7; i++)
        {
            await IdentifyNumber(i);
            var pause = await WaitUntilWaiting("reconnect");
            pauses.Add(pause.Delay);
            _time.Advance(pause.Delay);
        }

        // Doubling from 1 s (±20 %) on top of Discord's 1–5 s: the seventh pause is at least 0.8 × 32 s. Without the
        // backoff (op 9 counted as a healthy connection) every pause stays within 1–5 s: ~34,000 identifies a day.
        Assert.True(pauses[^1] >= TimeSpan.FromSeconds(25.6), string.Join(", ", pauses.Select(p => p.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.True(pauses.Sum(p => p.TotalSeconds) > 60);
    }

    [Fact]
    public async Task A_spent_session_start_budget_is_waited_out_never_overdrawn()
    {
        _discord.IdentifiesRemaining = 1;
        _discord.IdentifyResetAfterMs = 600_000;
        Start();
        await WaitForEvent("READY");

        await _discord.SendOpAsync(GatewayOpCode.InvalidSession, JsonValue.Create(false));
        _time.Advance((await WaitUntilWaiting("reconnect")).Delay);
        var budget = await WaitUntilWaiting("identify-budget");

        Assert.Equal(TimeSpan.FromMinutes(10), budget.Delay);
        Assert.Equal(1, _discord.Identifies); // an Identify now would be closed 4004 and the token reset
        _discord.IdentifiesRemaining = 1000; // Discord's budget was reset
        _time.Advance(budget.Delay);
        await IdentifyNumber(2);
        await _discord.WaitForAsync(() => { lock (_events) return _events.Count(e => e.Type == "READY") == 2; }, "second READY");
    }

    [Fact]
    public async Task A_resume_url_that_cannot_be_reached_falls_back_to_the_gateway_url_and_still_resumes()
    {
        _discord.ResumeUrlUnreachable = true;
        Start();
        await WaitForEvent("READY");

        _discord.Abort();
        _discord.Miss("MESSAGE_CREATE", FakeDiscord.Message("10", "pendant la panne"));
        _time.Advance((await WaitUntilWaiting("reconnect")).Delay);
        await WaitForOp(GatewayOpCode.Resume, 1, "resume on the gateway URL");
        await _discord.WaitForAsync(() => { lock (_events) return _events.Any(e => e.Type == "RESUMED"); }, "RESUMED");

        Assert.Equal(1, _discord.ResumeAttempts); // tried once, then the main URL; never in a loop
        Assert.Single(Ops(GatewayOpCode.Identify));
        lock (_events)
            Assert.Contains(_events, e => e.Type == "MESSAGE_CREATE" && e.Data.GetProperty("content").GetString() == "pendant la panne");
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
