namespace ChatBot.Core.Foundation.Concurrency;

/// <summary>
/// Runs work items off the receiving loop: at most a given number at once, the items of one key (a chat, a channel)
/// strictly in order, and at most <c>maxWaitingPerKey</c> of a key waiting: past it the oldest waiting item is dropped
/// (its <c>onDropped</c> runs), so a flooded chat never builds an unbounded backlog. Each item's failure is handed to
/// <c>onError</c> and affects nothing else. Items get the queue's own token, not the receiver's: at shutdown,
/// <see cref="StopAsync"/> lets the items in flight finish within a grace period before cancelling what is left.
/// </summary>
public sealed class KeyedWorkQueue<TKey>(int maxConcurrency, int maxWaitingPerKey = int.MaxValue) : IDisposable where TKey : notnull
{
    private sealed record Item(Func<CancellationToken, Task> Work, Func<Exception, Task> OnError, Func<Task>? OnDone, Func<Task>? OnDropped);

    /// <summary>One key's waiting items and the task that runs them one after the other.</summary>
    private sealed class Lane
    {
        public Queue<Item> Waiting { get; } = new();
        public Task Runner { get; set; } = Task.CompletedTask;
    }

    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Lane> _lanes = [];

    /// <summary>The most items that ever waited for one key at once: the backlog's high-water mark.</summary>
    public int PeakWaiting { get; private set; }

    /// <summary>Items queued for every key: each key's running item and those waiting behind it (the queue depth metric).</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
                return _lanes.Values.Sum(lane => lane.Waiting.Count + 1);
        }
    }

    /// <summary>Items waiting (not yet running) for <paramref name="key"/>.</summary>
    public int Waiting(TKey key)
    {
        lock (_lock)
            return _lanes.TryGetValue(key, out var lane) ? lane.Waiting.Count : 0;
    }

    /// <summary>
    /// Queues <paramref name="work"/>; <paramref name="onError"/> handles its failure. <paramref name="onDone"/> runs
    /// once the item has been handled (done, or failed and handed to <paramref name="onError"/>), never when
    /// shutdown cut it off: what was not handled must be handled again. <paramref name="onDropped"/> runs instead of
    /// all of them when the item is dropped as the oldest of a full key.
    /// </summary>
    public void Enqueue(TKey key, Func<CancellationToken, Task> work, Func<Exception, Task> onError, Func<Task>? onDone = null, Func<Task>? onDropped = null)
    {
        Item? dropped = null;
        Lane? started = null;
        lock (_lock)
        {
            var item = new Item(work, onError, onDone, onDropped);
            if (_lanes.TryGetValue(key, out var lane))
            {
                if (lane.Waiting.Count >= maxWaitingPerKey)
                    dropped = lane.Waiting.Dequeue();
                lane.Waiting.Enqueue(item);
                PeakWaiting = Math.Max(PeakWaiting, lane.Waiting.Count);
            }
            else
            {
                started = new Lane();
                started.Waiting.Enqueue(item);
                _lanes[key] = started;
            }
        }
        // A new lane starts at once, on the caller's thread until its first wait (as a chain of tasks would), but
        // outside the lock: the work must never run holding it.
        if (started is not null)
            started.Runner = RunLaneAsync(key, started);
        if (dropped?.OnDropped is { } notify)
            _ = QuietlyAsync(notify);
    }

    /// <summary>Waits for the items already queued (tests).</summary>
    public Task DrainAsync()
    {
        lock (_lock)
            return Task.WhenAll(_lanes.Values.Select(l => l.Runner).ToList());
    }

    /// <summary>Waits up to <paramref name="grace"/> for the queued items, then cancels those still running or waiting.</summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time)
    {
        var drained = DrainAsync();
        using var timeout = new CancellationTokenSource();
        var delay = Task.Delay(grace, time, timeout.Token);
        if (await Task.WhenAny(drained, delay) != drained)
            await _stopping.CancelAsync();
        await timeout.CancelAsync();
        await drained;
    }

    private async Task RunLaneAsync(TKey key, Lane lane)
    {
        while (true)
        {
            Item item;
            lock (_lock)
            {
                if (lane.Waiting.Count == 0)
                {
                    _lanes.Remove(key);
                    return;
                }
                item = lane.Waiting.Dequeue();
            }
            await RunAsync(item);
        }
    }

    private async Task RunAsync(Item item)
    {
        var token = _stopping.Token;
        try
        {
            await _slots.WaitAsync(token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            try
            {
                await item.Work(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return; // cut off by shutdown: not handled
            }
#pragma warning disable CA1031 // one bad item must never stop the others; the owner logs it
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await QuietlyAsync(() => item.OnError(ex)); // an error handler's own failure (the apology could not be sent) is swallowed
            }
            if (item.OnDone is not null)
                await QuietlyAsync(item.OnDone); // recording completion is best effort; its owner logs its own failures
        }
        finally
        {
            _slots.Release();
        }
    }

    private static async Task QuietlyAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
#pragma warning disable CA1031 // callbacks log their own failures; none may stop the queue
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _slots.Dispose();
    }
}
