using System.Diagnostics;

namespace ChatBot.Tests.Support;

/// <summary>
/// The one wait for a condition that the code under test makes true in its own time (a row written, a message sent):
/// it looks again every 20 ms and fails with <c>what</c> once the limit is past. Waits on a fake clock go through
/// <see cref="TimerProbe"/> instead; this is for what no clock drives.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(10);

    /// <summary>Returns how long it took; <paramref name="what"/> is read when it fails (it may describe the state then).</summary>
    public static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        var within = limit ?? DefaultLimit;
        while (!await condition())
        {
            if (clock.Elapsed > within)
                throw new TimeoutException($"{what()}: not within {within.TotalSeconds:0.#} s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        return clock.Elapsed;
    }

    public static Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null) => WaitAsync(condition, () => what, limit);

    public static Task<TimeSpan> WaitAsync(Func<bool> condition, string what, TimeSpan? limit = null) =>
        WaitAsync(() => Task.FromResult(condition()), () => what, limit);

    public static Task<TimeSpan> WaitAsync(Func<bool> condition, Func<string> what, TimeSpan? limit = null) =>
        WaitAsync(() => Task.FromResult(condition()), what, limit);
}
