using ChatBot.Core.Ingestion;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// Every chunk's record (key, article, position, title, text; no vector) held by a replica whose memory budget allows
/// it (<see cref="ChatBot.Core.Indexing.StoreOptions.HeldChunksMegabytes"/>), so that an answer reads its candidates
/// and their neighbours without a round trip. It follows the change log with the in-memory index: it reflects the same
/// position. Written by the replica's sync alone; read by any question, under one short lock.
/// </summary>
internal sealed class HeldChunks
{
    /// <summary>What a record costs beyond its strings' characters: the object, its fields, the table entries.</summary>
    private const long RecordOverhead = 160;

    private readonly Dictionary<long, ChunkRecord> _byId = [];
    private readonly Dictionary<string, List<long>> _byArticle = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _bytes;

    public int Count
    {
        get { lock (_lock) return _byId.Count; }
    }

    /// <summary>What the records hold, estimated: two bytes a character and <see cref="RecordOverhead"/> each.</summary>
    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    /// <summary>The estimate for one record of these lengths (also how the budget is checked before anything is read).</summary>
    public static long Estimate(long characters, long records) => 2 * characters + RecordOverhead * records;

    private static long SizeOf(ChunkRecord record) =>
        Estimate(record.Key.Length + record.ArticleId.Length + record.Title.Length + record.Text.Length, 1);

    public void Upsert(long id, ChunkRecord record)
    {
        lock (_lock)
        {
            RemoveHeld(id);
            _byId[id] = record;
            if (!_byArticle.TryGetValue(record.ArticleId, out var chunks))
                _byArticle[record.ArticleId] = chunks = [];
            chunks.Add(id);
            _bytes += SizeOf(record);
        }
    }

    public void Remove(long id)
    {
        lock (_lock)
            RemoveHeld(id);
    }

    private void RemoveHeld(long id)
    {
        if (!_byId.Remove(id, out var old))
            return;
        _bytes -= SizeOf(old);
        var chunks = _byArticle[old.ArticleId];
        chunks.Remove(id);
        if (chunks.Count == 0)
            _byArticle.Remove(old.ArticleId);
    }

    /// <summary>The records of these row ids that exist at the position held.</summary>
    public Dictionary<long, ChunkRecord> Get(IReadOnlyList<long> ids)
    {
        var result = new Dictionary<long, ChunkRecord>(ids.Count);
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (_byId.TryGetValue(id, out var record))
                    result[id] = record;
            }
        }
        return result;
    }

    /// <summary>Each article's chunks, in order; an article without any is left out.</summary>
    public Dictionary<string, List<ChunkRecord>> OfArticles(IEnumerable<string> articleIds)
    {
        var result = new Dictionary<string, List<ChunkRecord>>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var articleId in articleIds)
            {
                if (_byArticle.TryGetValue(articleId, out var ids))
                    result[articleId] = ids.Select(id => _byId[id]).OrderBy(c => c.Ordinal).ToList();
            }
        }
        return result;
    }
}
