using ChatBot.Telegram.Sending;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Telegram;

public sealed class SendThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void One_chat_gets_at_most_one_message_a_second_queued_in_order()
    {
        var throttle = new SendThrottle(_time, TimeSpan.FromSeconds(1), groupPerMinute: 20);
        var start = _time.GetUtcNow();

        var slots = Enumerable.Range(0, 4).Select(_ => throttle.Reserve(42, isGroup: false)).ToList();

        Assert.Equal([0, 1, 2, 3], slots.Select(s => (s - start).TotalSeconds));
        Assert.Equal(start, throttle.Reserve(43, isGroup: false)); // another chat is not held up
    }

    [Fact]
    public void A_group_gets_at_most_twenty_messages_a_minute()
    {
        var throttle = new SendThrottle(_time, TimeSpan.Zero, groupPerMinute: 20);
        var start = _time.GetUtcNow();

        var slots = Enumerable.Range(0, 45).Select(_ => throttle.Reserve(-100, isGroup: true)).ToList();

        Assert.All(slots.Take(20), s => Assert.Equal(start, s));
        Assert.All(slots.Skip(20).Take(20), s => Assert.Equal(start.AddMinutes(1), s));
        Assert.All(slots.Skip(40), s => Assert.Equal(start.AddMinutes(2), s));
        foreach (var slot in slots)
            Assert.True(slots.Count(other => other > slot.AddMinutes(-1) && other <= slot) <= 20);
    }

    [Fact]
    public void Overall_sends_stay_under_thirty_a_second()
    {
        var throttle = new SendThrottle(_time, TimeSpan.FromSeconds(1), groupPerMinute: 20, globalPerSecond: 30);
        var start = _time.GetUtcNow();

        var slots = Enumerable.Range(0, 61).Select(chat => throttle.Reserve(chat, isGroup: false)).ToList();

        Assert.Equal(30, slots.Count(s => s == start));
        Assert.Equal(30, slots.Count(s => s == start.AddSeconds(1)));
        Assert.Equal(start.AddSeconds(2), slots[^1]);
    }

    [Fact]
    public async Task Waiting_for_a_turn_follows_the_injected_clock()
    {
        var throttle = new SendThrottle(_time, TimeSpan.FromSeconds(1), groupPerMinute: 20);
        await throttle.WaitTurnAsync(42, false, TestContext.Current.CancellationToken);

        var second = throttle.WaitTurnAsync(42, false, TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }
}
