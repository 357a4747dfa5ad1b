using ChatBot.Core.Retrieval;
using ChatBot.Core.Ingestion.Corpus;
using BenchmarkDotNet.Attributes;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Embeddings;
using ChatBot.Discord.Bot;
using ChatBot.Storage.Sqlite;
using ChatBot.Telegram.Sending;

namespace ChatBot.Benchmarks;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the hot paths: embedding a chunk, the exact vector top-k scan and a BM25 query
/// over 100k chunks, a whole hybrid query on a real 2k-chunk SQLite index, score fusion, and rendering a reply as
/// Telegram HTML and as Discord messages.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes what [GlobalSetup] made
public class HotPaths
#pragma warning restore CA1001
{
    private const string Chunk = "Le président russe Vladimir Poutine a reçu mardi à Moscou son homologue iranien, Hassan Rohani, pour " +
        "évoquer la coopération militaire entre les deux pays, dont la livraison de systèmes de défense antiaérienne S-300, " +
        "ainsi que le programme nucléaire iranien et la situation en Syrie, où les deux capitales soutiennent Damas. " +
        "Les deux dirigeants ont signé plusieurs accords économiques, notamment dans le domaine de l'énergie et des transports.";

    private readonly HashingEmbeddingGenerator _embedder = new(TextAnalyzer.Shared, 384);
    private VectorIndex _vectors = null!;
    private LexicalIndex _lexical = null!;
    private LexicalQuery _lexicalQuery = null!;
    private LexicalQuery _midFrequencyQuery = null!;
    private float[] _query = null!;
    private SqliteIndexStore _store = null!;
    private string _folder = null!;
    private ChatReply _reply = null!;

    [Params(100_000)]
    public int Vectors { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var random = new Random(7);
        _vectors = new VectorIndex(384);
        var vector = new float[384];
        for (var i = 0; i < Vectors; i++)
        {
            for (var d = 0; d < vector.Length; d++)
                vector[d] = (float)(random.NextDouble() - 0.5);
            _vectors.Upsert(i, vector);
        }
        _query = _embedder.Embed("Quels systèmes de défense la Russie livre-t-elle à l'Iran ?");

        // 100k chunks of ~80 terms drawn from a Zipf-like vocabulary of 50k words, plus the words of a real chunk.
        _lexical = new LexicalIndex();
        var real = Chunk.Split(' ');
        _lexical.AddRange(Enumerable.Range(0, Vectors).Select(i =>
        {
            var words = new List<string>(100);
            for (var t = 0; t < 80; t++)
                words.Add("mot" + (int)Math.Pow(50_000, random.NextDouble()));
            words.AddRange(real.Where(_ => random.Next(8) == 0));
            return ((long)i, $"Article {i % 20_000}", string.Join(' ', words));
        }));
        _lexicalQuery = LexicalQuery.FromText("Quels systèmes de défense antiaérienne la Russie livre-t-elle à l'Iran ?", WordAnalysers.Shared);
        _midFrequencyQuery = LexicalQuery.FromText("mot500 mot1000 mot2000 mot3000 mot5000", WordAnalysers.Shared);

        // A real index of the seed articles' chunks, embedded with the same embedder.
        _folder = Path.Combine(Path.GetTempPath(), "chatbot-hotpaths-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteIndexStore(Path.Combine(_folder, "index.db"), TextAnalyzer.Shared, TimeProvider.System, loadVectors: new FusionOptions().VectorsSearched(_embedder));
        await _store.OpenAsync("bench", 384, CancellationToken.None);
        var chunks = Enumerable.Range(0, 2000).Select(i => new ChunkRecord
        {
            Key = $"a{i}#0",
            ArticleId = $"a{i}",
            Title = $"Article {i}",
            Text = Chunk.Replace("Rohani", "Rohani " + i, StringComparison.Ordinal),
            End = Chunk.Length,
            Embedding = _embedder.Embed(Chunk + i),
        }).ToList();
        var changes = new IndexChanges();
        changes.Updates.AddRange(chunks.Select(c => new ArticleUpdate(new Article(c.ArticleId, c.Title, null, null, null, c.ArticleId + ".txt", c.Text, c.ArticleId), [c])));
        await _store.ApplyAsync(changes, CancellationToken.None);

        var citations = Enumerable.Range(1, 3).Select(n => new Citation(n, $"00{n}_abc", $"Titre <{n}> & co", "Reuters", new DateOnly(2025, 6, n), null, Chunk)).ToList();
        _reply = new ChatReply(string.Join(' ', Enumerable.Repeat("« " + Chunk + " » [1] [2] @everyone <b>", 6)), true, citations, Language.French, [], new ReplyTimings(1, 2));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        _vectors.Dispose();
        _lexical.Dispose();
    }

    [Benchmark]
    public float[] EmbedChunk() => _embedder.Embed(Chunk);

    [Benchmark]
    public List<(long Id, float Score)> VectorTopK() => _vectors.Search(_query, 60);

    [Benchmark]
    public List<LexicalHit> Bm25Query() => _lexical.Search(_lexicalQuery, 60);

    /// <summary>Words in a few hundred chunks each, as a question's names are: their postings lie ~100–1,000 slots apart.</summary>
    [Benchmark]
    public List<LexicalHit> Bm25MidFrequencyQuery() => _lexical.Search(_midFrequencyQuery, 60);

    [Benchmark]
    public async Task<int> StoreNearest2kChunks() => (await _store.NearestAsync(_query, 10, CancellationToken.None)).Count;

    [Benchmark]
    public IReadOnlyList<string> TelegramHtmlReply() => TelegramHtml.Render(_reply);

    [Benchmark]
    public int DiscordReply() => DiscordReplyRenderer.Render(_reply).Count;
}
