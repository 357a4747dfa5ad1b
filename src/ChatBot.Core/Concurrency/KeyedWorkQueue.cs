namespace ChatBot.Core.Concurrency;

/// <summary>
/// Runs work items off the receiving loop: at most a given number at once, the items of one key (a chat, a channel)
/// strictly in order. Each item's failure is handed to <c>onError</c> and affects nothing else. Items get the queue's
/// own token, not the receiver's: at shutdown, <see cref="StopAsync"/> lets the items in flight finish within a grace
/// period before cancelling what is left.
/// </summary>
public sealed class KeyedWorkQueue<TKey>(int maxConcurrency) : IDisposable where TKey : notnull
{
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Task> _tails = [];

    /// <summary>
    /// Queues <paramref name="work"/>; <paramref name="onError"/> handles its failure. <paramref name="onDone"/> runs
    /// once the item has been handled (done, or failed and handed to <paramref name="onError"/>), never when
    /// shutdown cut it off: what was not handled must be handled again.
    /// </summary>
    public void Enqueue(TKey key, Func<CancellationToken, Task> work, Func<Exception, Task> onError, Func<Task>? onDone = null)
    {
        lock (_lock)
        {
            var previous = _tails.GetValueOrDefault(key, Task.CompletedTask);
            var next = RunAfterAsync(previous, work, onError, onDone);
            _tails[key] = next;
            _ = next.ContinueWith(done => Forget(key, done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for the items already queued (tests).</summary>
    public Task DrainAsync()
    {
        lock (_lock)
            return Task.WhenAll(_tails.Values.ToList());
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

    private async Task RunAfterAsync(Task previous, Func<CancellationToken, Task> work, Func<Exception, Task> onError, Func<Task>? onDone)
    {
        await previous; // never faults: failures are handled below
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
                await work(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return; // cut off by shutdown: not handled
            }
#pragma warning disable CA1031 // one bad item must never stop the others; the owner logs it
            catch (Exception ex)
#pragma warning restore CA1031
            {
                try
                {
                    await onError(ex);
                }
#pragma warning disable CA1031 // an error handler's own failure (e.g. the apology could not be sent) is swallowed
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
            if (onDone is not null)
            {
                try
                {
                    await onDone();
                }
#pragma warning disable CA1031 // recording completion is best effort; its owner logs its own failures
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private void Forget(TKey key, Task finished)
    {
        lock (_lock)
        {
            if (_tails.TryGetValue(key, out var tail) && ReferenceEquals(tail, finished))
                _tails.Remove(key);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _slots.Dispose();
    }
}
