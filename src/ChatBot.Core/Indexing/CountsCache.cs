namespace ChatBot.Core.Indexing;

/// <summary>
/// A store's article and chunk counts, counted again only after <see cref="IIndexStore.ChangeCount"/> moved. Every
/// decline names the article count: counting a million rows (tens of milliseconds, more on PostgreSQL) for each one was
/// the slowest part of those answers. The change count is read before counting, so counts that a write overtook are
/// counted again on the next call.
/// </summary>
public sealed class CountsCache
{
    private sealed record Counted(long Change, IndexCounts Counts);

    private Counted? _last;

    public async Task<IndexCounts> GetAsync(long change, Func<CancellationToken, Task<IndexCounts>> count, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _last) is { } last && last.Change == change)
            return last.Counts;
        var counts = await count(cancellationToken);
        Volatile.Write(ref _last, new Counted(change, counts));
        return counts;
    }
}
