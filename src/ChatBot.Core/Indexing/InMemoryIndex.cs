using ChatBot.Core.Indexing.Lexical;

namespace ChatBot.Core.Indexing;

/// <summary>
/// What a store keeps in memory for search, on every replica alike: the lexical postings of every analyser and the
/// vectors. The store is the durable copy and feeds this one after each committed write (and, on a shared database,
/// from the change log of the other replicas' writes).
/// </summary>
public sealed class InMemoryIndex(int dimensions, LexicalIndex? lexical = null) : IDisposable
{
    public VectorIndex Vectors { get; } = new(dimensions);

    /// <summary>
    /// Whether <see cref="Vectors"/> holds the store's vectors. They load at open only when searches weigh them (not
    /// with the hashing embedder, whose vectors repeat the lexical signal: 190 MB saved at 100k chunks), else on the
    /// first vector search; until then writes leave them to that load.
    /// </summary>
    public bool VectorsLoaded { get; set; }

    public LexicalIndex Lexical { get; } = lexical ?? new();

    /// <summary>
    /// Loads the vectors on the first vector search when they did not load at open: once, under the store's write
    /// gate (<paramref name="gate"/>), so that no write slips between the load and <see cref="VectorsLoaded"/>.
    /// </summary>
    public async ValueTask EnsureVectorsAsync(SemaphoreSlim gate, Func<VectorIndex, CancellationToken, Task> load, CancellationToken cancellationToken)
    {
        if (VectorsLoaded)
            return;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (VectorsLoaded)
                return;
            await load(Vectors, cancellationToken);
            VectorsLoaded = true;
        }
        finally { gate.Release(); }
    }

    public int Dimensions => dimensions;

    /// <summary>A chunk as stored: its row id, article title, text and vector.</summary>
    public readonly record struct Row(long Id, string Title, string Text, ReadOnlyMemory<float> Vector);

    public void Remove(long id)
    {
        Vectors.Remove(id);
        Lexical.Remove(id);
    }

    public void Upsert(in Row row)
    {
        if (VectorsLoaded)
            Vectors.Upsert(row.Id, row.Vector.Span);
        Lexical.Add(row.Id, row.Title, row.Text);
    }

    /// <summary>Applies one committed write: removed rows first, then the added ones.</summary>
    public void Apply(IEnumerable<long> removed, IEnumerable<Row> added)
    {
        foreach (var id in removed)
            Remove(id);
        foreach (var row in added)
            Upsert(row);
    }

    public void Clear()
    {
        Vectors.Clear();
        Lexical.Clear();
    }

    /// <summary>What the in-memory index holds, structure by structure: the lexical index's parts, then the vectors'.</summary>
    public IReadOnlyList<MemoryPart> Footprint() => [.. Lexical.Footprint(), .. Vectors.Footprint()];

    public void Dispose()
    {
        Vectors.Dispose();
        Lexical.Dispose();
    }
}
