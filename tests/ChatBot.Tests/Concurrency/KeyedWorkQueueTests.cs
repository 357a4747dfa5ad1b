using ChatBot.Core.Foundation.Concurrency;

namespace ChatBot.Tests.Concurrency;

public sealed class KeyedWorkQueueTests
{
    [Fact]
    public async Task A_full_key_drops_its_oldest_waiting_item_and_runs_the_newest_in_order()
    {
        using var queue = new KeyedWorkQueue<int>(maxConcurrency: 4, maxWaitingPerKey: 5);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new List<int>();
        var dropped = new List<int>();
        var other = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        queue.Enqueue(1, _ => release.Task, _ => Task.CompletedTask); // running: not waiting, never dropped
        for (var i = 0; i < 30; i++)
        {
            var n = i;
            queue.Enqueue(1, _ => { lock (ran) ran.Add(n); return Task.CompletedTask; }, _ => Task.CompletedTask,
                onDropped: () => { lock (dropped) dropped.Add(n); return Task.CompletedTask; });
        }
        queue.Enqueue(2, _ => { other.SetResult(); return Task.CompletedTask; }, _ => Task.CompletedTask); // another key is not held up
        await other.Task;
        var waiting = queue.Waiting(1);
        release.SetResult();
        await queue.DrainAsync();

        Assert.Equal(5, waiting);
        Assert.Equal([25, 26, 27, 28, 29], ran);
        Assert.Equal(Enumerable.Range(0, 25), dropped.Order());
    }
}
