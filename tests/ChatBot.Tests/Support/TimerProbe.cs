using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Support;

/// <summary>
/// A fake clock that says when code under test has started waiting on it: every timer (each <c>Task.Delay</c> on
/// this provider, each <c>PeriodicTimer</c>) is recorded with its due time when created, so a test advances the clock
/// only once the loop it drives is waiting, instead of sleeping and hoping it is.
/// </summary>
public sealed class TimerProbe : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private readonly List<(Func<List<TimeSpan>, bool> Condition, TaskCompletionSource Signal)> _waiters = [];

    public TimerProbe() { }

    public TimerProbe(DateTimeOffset start) : base(start) { }

    /// <summary>Timers created so far.</summary>
    public int Timers
    {
        get { lock (_gate) return _dueTimes.Count; }
    }

    /// <summary>The due time each timer was created with, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get { lock (_gate) return [.. _dueTimes]; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            _dueTimes.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Condition(_dueTimes)).ToList())
            {
                _waiters.Remove(waiter);
                ready.Add(waiter.Signal);
            }
        }
        foreach (var signal in ready)
            signal.TrySetResult();
        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers in all have been created (at once if they have).</summary>
    public Task WaitForTimersAsync(int count) =>
        WaitAsync(d => d.Count >= count, $"{count} timers");

    /// <summary>Completes once a timer whose due time matches has been created (at once if one has).</summary>
    public Task WaitForTimerAsync(Func<TimeSpan, bool> due, string what = "the expected wait") =>
        WaitAsync(d => d.Any(due), what);

    private async Task WaitAsync(Func<List<TimeSpan>, bool> condition, string what)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_dueTimes))
                return;
            _waiters.Add((condition, signal));
        }
        try
        {
            await signal.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the code under test never started {what} on the clock (timers created: {string.Join(", ", DueTimes)})");
        }
    }
}
