namespace ChatBot.Core.Storage;

/// <summary>
/// Document frequencies already looked up, so that the terms of the questions being asked cost one lookup each until
/// the index changes. Stores call <see cref="Invalidate"/> after every change they apply.
/// </summary>
public sealed class TermFrequencyCache
{
    private readonly Lock _lock = new();
    private Dictionary<string, int> _known = new(StringComparer.Ordinal);

    /// <summary>The frequency of each term, asking <paramref name="lookup"/> only for the ones not known yet.</summary>
    public async Task<Dictionary<string, int>> GetAsync(
        IEnumerable<string> terms, Func<IReadOnlyList<string>, Task<IReadOnlyDictionary<string, int>>> lookup)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = new List<string>();
        Dictionary<string, int> known;
        lock (_lock)
        {
            known = _known;
            foreach (var term in terms.Distinct(StringComparer.Ordinal))
            {
                if (known.TryGetValue(term, out var frequency))
                    result[term] = frequency;
                else
                    missing.Add(term);
            }
        }
        if (missing.Count == 0)
            return result;
        var found = await lookup(missing);
        foreach (var term in missing)
            result[term] = found.GetValueOrDefault(term);
        lock (_lock)
        {
            // Only into the generation the lookup started from: a change meanwhile made these numbers stale.
            if (ReferenceEquals(known, _known))
            {
                foreach (var term in missing)
                    _known[term] = result[term];
            }
        }
        return result;
    }

    public void Invalidate()
    {
        lock (_lock)
            _known = new Dictionary<string, int>(StringComparer.Ordinal);
    }
}
