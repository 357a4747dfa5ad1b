using ChatBot.Core.Foundation.Concurrency;
using ChatBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Concurrency;

/// <summary>The one retry pipeline the senders share: the caller decides what is retried and how long to wait, on the bot's clock.</summary>
public sealed class RetryPipelineTests
{
    private static RetryDecision? Decide(Exception ex, int attempt) => ex switch
    {
        TimeoutException => new RetryDecision(TimeSpan.FromSeconds(attempt), "timeout"),
        _ => null,
    };

    [Fact]
    public async Task A_retryable_failure_waits_the_decided_delay_on_the_bot_s_clock_then_succeeds()
    {
        var time = new FakeTimeProvider();
        var announced = new List<TimeSpan>();
        var pipeline = RetryPipeline.Create(time, 3, Decide, d => announced.Add(d.Delay));
        var calls = 0;

        var run = pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new TimeoutException() : ValueTask.FromResult(calls), Ct).AsTask();
        await Eventually.WaitAsync(() => Task.FromResult(calls == 1 && announced.Count == 1), "the first retry announced", TimeSpan.FromSeconds(10));
        Assert.False(run.IsCompleted); // waiting 1 s on the fake clock, which has not moved
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => Task.FromResult(announced.Count == 2), "the second retry announced", TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(3, await run);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], announced);
    }

    [Fact]
    public async Task A_final_failure_is_thrown_at_once_and_the_last_retryable_one_after_the_attempts()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var final = RetryPipeline.Create(time, 5, Decide);
        var once = RetryPipeline.Create(time, 1, Decide);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await final.ExecuteAsync<int>(_ => { calls++; throw new InvalidOperationException(); }, Ct));
        await Assert.ThrowsAsync<TimeoutException>(async () => await once.ExecuteAsync<int>(_ => { calls++; throw new TimeoutException(); }, Ct));

        Assert.Equal(2, calls); // one call each: nothing retried
    }

    [Fact]
    public async Task A_cancelled_call_is_never_retried()
    {
        var pipeline = RetryPipeline.Create(new FakeTimeProvider(), 5, (_, _) => new RetryDecision(TimeSpan.Zero, "any"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pipeline.ExecuteAsync<int>(ct => { calls++; ct.ThrowIfCancellationRequested(); return default; }, cancelled.Token));

        Assert.True(calls <= 1);
    }
}
