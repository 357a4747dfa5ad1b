namespace ChatBot.Core.Concurrency;

/// <summary>
/// Runs work items off the receiving loop: at most a given number at once, the items of one key (a chat, a channel)
/// strictly in order. Each item's failure is handed to <c>onError</c> and affects nothing else.
/// </summary>
public sealed class KeyedWorkQueue<TKey>(int maxConcurrency) : IDisposable where TKey : notnull
{
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Task> _tails = [];

    public void Enqueue(TKey key, Func<CancellationToken, Task> work, Func<Exception, Task> onError, CancellationToken stoppingToken)
    {
        lock (_lock)
        {
            var previous = _tails.GetValueOrDefault(key, Task.CompletedTask);
            var next = RunAfterAsync(previous, work, onError, stoppingToken);
            _tails[key] = next;
            _ = next.ContinueWith(done => Forget(key, done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for the items already queued (at shutdown, and in tests).</summary>
    public Task DrainAsync()
    {
        lock (_lock)
            return Task.WhenAll(_tails.Values.ToList());
    }

    private async Task RunAfterAsync(Task previous, Func<CancellationToken, Task> work, Func<Exception, Task> onError, CancellationToken stoppingToken)
    {
        await previous; // never faults: failures are handled below
        try
        {
            await _slots.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            await work(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
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

    public void Dispose() => _slots.Dispose();
}
