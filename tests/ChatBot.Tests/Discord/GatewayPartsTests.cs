using ChatBot.Discord.Client.Gateway;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Discord;

/// <summary>The gateway's heartbeat and reconnect policy as types of their own, each tested without a socket.</summary>
public sealed class GatewayPartsTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(string Reason, TimeSpan Delay)> _waits = [];

    private Task Wait(TimeSpan delay, string reason, CancellationToken cancellationToken)
    {
        _waits.Add((reason, delay));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_beat_due_while_the_last_is_unacknowledged_closes_the_zombie_after_a_jittered_first_beat()
    {
        var heartbeat = new GatewayHeartbeat(_time, () => 0.25);
        var interval = TimeSpan.FromSeconds(40);
        var beats = 0;
        var zombie = false;

        await heartbeat.RunAsync(interval, _ =>
        {
            if (++beats < 3)
                heartbeat.Acknowledged(); // the third beat is never acknowledged
            return Task.CompletedTask;
        }, () => { zombie = true; return Task.CompletedTask; }, Wait, Ct);

        Assert.Equal(3, beats);
        Assert.True(zombie);
        Assert.Equal([TimeSpan.FromSeconds(10), interval, interval, interval], _waits.Select(w => w.Delay));
    }

    [Fact]
    public async Task The_acknowledgement_measures_the_round_trip_and_a_new_connection_starts_acknowledged()
    {
        var heartbeat = new GatewayHeartbeat(_time, () => 0);
        using var stop = new CancellationTokenSource();
        var zombie = false;

        await heartbeat.RunAsync(TimeSpan.FromSeconds(40), _ =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(120));
            heartbeat.Acknowledged();
            stop.Cancel(); // one beat, then the connection ends
            return Task.CompletedTask;
        }, () => { zombie = true; return Task.CompletedTask; }, Wait, stop.Token);

        Assert.Equal(TimeSpan.FromMilliseconds(120), heartbeat.Latency);
        Assert.False(zombie);
    }

    [Fact]
    public async Task A_resume_url_that_cannot_be_reached_is_given_up_for_the_main_one_until_a_session_is_ready()
    {
        var policy = new GatewayReconnectPolicy(new GatewayOptions("t", default), _ => Task.FromResult(new GatewayInfo("wss://main", 1000, 1000, TimeSpan.FromDays(1), 1)), _time, NullLogger.Instance);
        var session = new GatewaySession { SessionId = "s", ResumeUrl = "wss://resume" };

        var first = await policy.NextUrlAsync(session, Wait, Ct);
        policy.ConnectionFailed(); // before Hello
        var second = await policy.NextUrlAsync(session, Wait, Ct);
        policy.Answered();
        policy.SessionReady();
        var third = await policy.NextUrlAsync(session, Wait, Ct);

        Assert.Equal(["wss://resume", "wss://main", "wss://resume"], [first, second, third]);
        Assert.Equal(0, policy.Identifies); // resuming never spends the identify budget
    }

    [Fact]
    public async Task A_spent_identify_budget_is_waited_out_never_overdrawn()
    {
        var fetches = new Queue<GatewayInfo>([
            new GatewayInfo("wss://main", 1000, 0, TimeSpan.FromMinutes(10), 1),
            new GatewayInfo("wss://main", 1000, 5, TimeSpan.FromDays(1), 1),
        ]);
        var policy = new GatewayReconnectPolicy(new GatewayOptions("t", default), _ => Task.FromResult(fetches.Dequeue()), _time, NullLogger.Instance);

        var url = await policy.NextUrlAsync(new GatewaySession(), Wait, Ct);

        Assert.Equal("wss://main", url);
        Assert.Equal([("identify-budget", TimeSpan.FromMinutes(10))], _waits);
        Assert.Equal(1, policy.Identifies);
    }

    [Fact]
    public void The_backoff_is_nil_after_a_connection_that_worked_and_grows_after_failures()
    {
        var policy = new GatewayReconnectPolicy(new GatewayOptions("t", default), _ => throw new InvalidOperationException(), _time, NullLogger.Instance);

        Assert.Equal(TimeSpan.Zero, policy.Backoff(0));
        Assert.InRange(policy.Backoff(1).TotalSeconds, 0.8, 1.2);
        Assert.InRange(policy.Backoff(3).TotalSeconds, 3.2, 4.8);
    }
}
