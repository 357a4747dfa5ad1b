using System.Globalization;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The embedded index: one SQLite file with articles and chunks (vectors as BLOBs). Search runs over an
/// <see cref="InMemoryIndex"/> (lexical postings and vectors) loaded at open and updated after each committed write.
/// Writes are serialised and each batch is one transaction.
/// </summary>
public sealed partial class SqliteIndexStore : IIndexStore
{
    private readonly SqliteDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TextAnalyzer _analyzer;
    private readonly TimeProvider _time;
    private readonly bool _loadVectors;
    private InMemoryIndex? _memory;
    private int _disposed;
    private long _changes;
    private SqliteChunks? _chunks;
    private readonly SqliteLexicalLoader _lexical;

    private readonly ILogger _logger;

    /// <summary>A store over a file of its own (tools, tests): it opens and closes the database itself.</summary>
    /// <param name="exclusive">Hold the file for this process alone (<see cref="StoreOptions.Exclusive"/>).</param>
    public SqliteIndexStore(
        string path, TextAnalyzer analyzer, TimeProvider time,
        bool loadVectors = false, bool exclusive = false, ILogger<SqliteIndexStore>? logger = null)
        : this(new SqliteDatabase(path, time, exclusive), analyzer, time, loadVectors, logger) => _ownsDatabase = true;

    /// <summary>The index kept in <paramref name="database"/>, beside the small stores that share the file.</summary>
    public SqliteIndexStore(SqliteDatabase database, TextAnalyzer analyzer, TimeProvider time, bool loadVectors = false, ILogger<SqliteIndexStore>? logger = null)
    {
        _database = database;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Location = database.Location;
        _analyzer = analyzer;
        _time = time;
        _loadVectors = loadVectors;
        _lexical = new SqliteLexicalLoader(Location + ".lexical");
    }

    /// <summary>The file the index is kept in.</summary>
    public SqliteDatabase Database => _database;

    public string Location { get; }

    public long ChangeCount => Interlocked.Read(ref _changes);

    internal void Changed() => Interlocked.Increment(ref _changes);



    /// <summary>What the index holds in memory, structure by structure (the <c>pipeline</c> benchmark prints it).</summary>
    public IReadOnlyList<MemoryPart> Footprint() => Memory.Footprint();

    internal InMemoryIndex Memory => _memory ?? throw NotOpen();

    internal VectorIndex Vectors => Memory.Vectors;

    public LexicalIndex Lexical => Memory.Lexical;

    internal TextAnalyzer Analyzer => _analyzer;

    public async Task<bool> OpenAsync(string embedderId, int dimensions, CancellationToken cancellationToken)
    {
        _database.Prepare();
        await using var connection = await ConnectAsync(cancellationToken);
        try
        {
            await _database.MigrateAsync(connection, cancellationToken);
            if (_database.Exclusive)
            {
                // The serving process writes every question it receives: a file it cannot write must stop it now, with
                // one line, not let it start "healthy" and apologise for every question.
                await using var probe = connection.CreateCommand();
                probe.CommandText = "INSERT INTO meta (key, value) VALUES ('last_start', $at) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
                probe.Parameters.AddWithValue("$at", SqliteValues.Instant(_time.GetUtcNow()));
                await probe.ExecuteNonQueryAsync(cancellationToken);
            }
            var reset = await EnsureEmbedderAsync(connection, embedderId, dimensions, cancellationToken);
            var generation = await ReadGenerationAsync(connection, cancellationToken);
            _generation = generation;
            var snapshot = _lexical.LoadSnapshot(generation, out var damage);
            if (damage is not null)
                LogDamagedSnapshot(_logger, _lexical.SnapshotPath, damage);
            var memory = new InMemoryIndex(dimensions, snapshot) { VectorsLoaded = _loadVectors };
            // Vectors (one connection per core) and the lexical postings (read back, or analysed on one core) load side by side.
            await Task.WhenAll(
                memory.VectorsLoaded ? SqliteVectorLoader.LoadAsync(this, connection, memory.Vectors, cancellationToken) : Task.CompletedTask,
                snapshot is null ? SqliteLexicalLoader.LoadFromChunksAsync(this, memory.Lexical, cancellationToken) : Task.CompletedTask);
            var old = Interlocked.Exchange(ref _memory, memory);
            old?.Dispose();
            Changed();
            OpenedFromSnapshot = snapshot is not null;
            if (snapshot is null)
                _snapshotSave = Task.Run(() => SaveSnapshotAsync(CancellationToken.None), CancellationToken.None);
            _chunks = new SqliteChunks(this);
            return reset;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            throw new IndexStoreException(
                $"The index file '{Location}' is not a usable SQLite database ({ex.Message.TrimEnd('.')}). " +
                "Run `index --rebuild` to build a new one from the corpus: the unusable file is set aside beside it, not deleted.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 14 or 8 or 23)
        {
            throw _database.Unwritable(ex);
        }
    }

    private async Task<bool> EnsureEmbedderAsync(SqliteConnection connection, string embedderId, int dimensions, CancellationToken cancellationToken)
    {
        var wanted = $"{embedderId}|{dimensions.ToString(CultureInfo.InvariantCulture)}";
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM meta WHERE key = 'embedder'";
        var current = (string?)await read.ExecuteScalarAsync(cancellationToken);
        if (current == wanted)
            return false;

        await _database.WriteLock.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Never mix vectors of two embedders: drop every chunk and make every article look changed.
            await ExecuteAsync(connection, "DELETE FROM chunks; DELETE FROM files; UPDATE articles SET content_hash = '';", cancellationToken);
            await using var write = connection.CreateCommand();
            write.CommandText = "INSERT INTO meta (key, value) VALUES ('embedder', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            write.Parameters.AddWithValue("$v", wanted);
            await write.ExecuteNonQueryAsync(cancellationToken);
            await BumpGenerationAsync(connection, (SqliteTransaction)transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally { _database.WriteLock.Release(); }
        return current is not null;
    }

    /// <summary>The vectors, loaded on the first vector search when they did not load at open.</summary>
    internal ValueTask EnsureVectorsAsync(CancellationToken cancellationToken) =>
        Memory.EnsureVectorsAsync(_database.WriteLock, async (vectors, ct) =>
        {
            await using var connection = await ConnectAsync(ct);
            await SqliteVectorLoader.LoadAsync(this, connection, vectors, ct);
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> GetFileFingerprintsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, fingerprint FROM files";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    public async Task<IReadOnlyDictionary<string, ArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, content_hash, path FROM articles";
        var result = new Dictionary<string, ArticleState>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result[reader.GetString(0)] = new ArticleState(reader.GetString(1), reader.GetString(2));
        return result;
    }

    public async Task ApplyAsync(IndexChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
            return;
        changes.EnsureDimensions(Vectors.Dimensions);
        var removed = new List<long>();
        var added = new List<InMemoryIndex.Row>();
        await _database.WriteLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var writer = new SqliteChunkWriter(connection, transaction);
            foreach (var id in changes.DeletedArticleIds)
            {
                removed.AddRange(await writer.DeleteArticleChunksAsync(id, cancellationToken));
                await writer.DeleteArticleAsync(id, cancellationToken);
            }
            var now = _time.GetUtcNow();
            foreach (var update in changes.Updates)
            {
                removed.AddRange(await writer.DeleteArticleChunksAsync(update.Article.Id, cancellationToken));
                await writer.UpsertArticleAsync(update.Article, changes.KeepTimestamps ? null : now, cancellationToken);
                foreach (var chunk in update.Chunks)
                {
                    var rowId = await writer.InsertChunkAsync(chunk, cancellationToken);
                    added.Add(new InMemoryIndex.Row(rowId, chunk.Title, chunk.Text, chunk.Embedding));
                }
            }
            foreach (var (path, fingerprint) in changes.Files)
                await writer.SetFileAsync(path, fingerprint, cancellationToken);
            var generation = await BumpGenerationAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Committed(generation);

            // The in-memory index follows only once the transaction is durable.
            Memory.Apply(removed, added);
            Changed();
        }
        finally { _database.WriteLock.Release(); }
    }

    public async Task<Article?> GetArticleAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, title, source, published, url, path, text, content_hash, ingested_at, updated_at FROM articles WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadArticle(reader) : null;
    }

    /// <summary>
    /// Every article, in the order of <see cref="ListNewestArticlesAsync"/>, read in the table's own order and sorted
    /// here: walking the whole table in the order of its index reads its pages out of order (804k articles of a 5 GB
    /// file: 4.1–4.9 s in the sqlite3 shell against 1.3 s for the table in its own order).
    /// </summary>
    public async Task<IReadOnlyList<Article>> ListArticlesAsync(CancellationToken cancellationToken)
    {
        var articles = await ReadArticlesAsync($"SELECT {ListedColumns} FROM articles", limit: null, cancellationToken);
        articles.Sort(NewestFirst);
        return articles;
    }

    /// <summary>
    /// <c>ORDER BY published IS NULL, published DESC, title, id</c> as SQLite sorts them: dated first, newest first, then
    /// title and id by code point (SQLite's BINARY collation compares UTF-8 bytes, whose order is the code points').
    /// </summary>
    private static int NewestFirst(Article a, Article b)
    {
        var order = (a.Published is null).CompareTo(b.Published is null);
        if (order == 0)
            order = Nullable.Compare(b.Published, a.Published);
        if (order == 0)
            order = CodePoints(a.Title, b.Title);
        return order != 0 ? order : CodePoints(a.Id, b.Id);
    }

    /// <summary>
    /// Ordinal by code point: UTF-16 code units compare as code points except a surrogate (a code point past U+FFFF)
    /// against U+E000–U+FFFF, which the shift puts back in order.
    /// </summary>
    private static int CodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        var at = a.AsSpan(0, length).CommonPrefixLength(b.AsSpan(0, length));
        if (at == length)
            return a.Length.CompareTo(b.Length);
        return Shifted(a[at]).CompareTo(Shifted(b[at]));

        static int Shifted(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
    }

    public async Task<IReadOnlyList<Article>> ListNewestArticlesAsync(int count, CancellationToken cancellationToken) =>
        await ReadArticlesAsync(
            $"SELECT {ListedColumns} FROM articles ORDER BY published IS NULL, published DESC, title, id LIMIT $limit", count, cancellationToken);

    /// <summary>What a listing reads of an article: everything but its text.</summary>
    private const string ListedColumns = "id, title, source, published, url, path, '', content_hash, ingested_at, updated_at";

    public async Task<IReadOnlyDictionary<string, DateOnly?>> GetPublishedDatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, published FROM articles";
        var result = new Dictionary<string, DateOnly?>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result[reader.GetString(0)] = reader.IsDBNull(1) ? null : SqliteValues.ReadDate(reader.GetString(1));
        return result;
    }

    private async Task<List<Article>> ReadArticlesAsync(string sql, int? limit, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (limit is { } count)
            command.Parameters.AddWithValue("$limit", count);
        var result = new List<Article>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(ReadArticle(reader));
        return result;
    }

    public async Task<IReadOnlyDictionary<string, ArticleWithChunks>> GetArticlesWithChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        // In process, a read per article costs microseconds: no batch needed.
        var result = new Dictionary<string, ArticleWithChunks>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (await GetArticleAsync(id, cancellationToken) is { } article)
                result[id] = new ArticleWithChunks(article, await GetArticleChunksAsync(id, cancellationToken));
        }
        return result;
    }

    public Task<IReadOnlyList<ChunkRecord>> GetArticleChunksAsync(string articleId, CancellationToken cancellationToken) =>
        ReadArticleChunksAsync(articleId, includeVectors: false, cancellationToken);

    public Task<IReadOnlyList<ChunkRecord>> ExportArticleChunksAsync(string articleId, CancellationToken cancellationToken) =>
        ReadArticleChunksAsync(articleId, includeVectors: true, cancellationToken);

    private async Task<IReadOnlyList<ChunkRecord>> ReadArticleChunksAsync(string articleId, bool includeVectors, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteChunks.ColumnsFor(includeVectors)} FROM chunks WHERE article_id = $id ORDER BY ordinal";
        command.Parameters.AddWithValue("$id", articleId);
        return await SqliteChunks.ReadAllAsync(command, includeVectors, cancellationToken);
    }

    public async Task<IndexEmbedder?> ReadEmbedderAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Location))
            return null;
        await using var connection = await ConnectAsync(cancellationToken);
        if (await ScalarAsync<long>(connection, "PRAGMA application_id", cancellationToken) != SqliteSchema.ApplicationId)
            throw new IndexStoreException($"The file '{Location}' is not a ChatBot index.");
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'embedder'";
        return IndexEmbedder.Parse((string?)await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyDictionary<long, ChunkRecord>> GetChunksAsync(IReadOnlyList<long> rowIds, CancellationToken cancellationToken) =>
        await (_chunks ?? throw NotOpen()).LoadAsync(rowIds, includeVectors: false, cancellationToken);

    public async ValueTask<List<(long Id, float Score)>> NearestAsync(ReadOnlyMemory<float> query, int top, CancellationToken cancellationToken)
    {
        _ = _chunks ?? throw NotOpen();
        await EnsureVectorsAsync(cancellationToken);
        return Memory.Vectors.Search(query.Span, top);
    }

    public Task ClearChunksAsync(CancellationToken cancellationToken) => (_chunks ?? throw NotOpen()).ClearAsync(cancellationToken);

    public Task<IndexCounts> GetCountsAsync(CancellationToken cancellationToken) => _counts.GetAsync(ChangeCount, async ct =>
    {
        await using var connection = await ConnectAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM chunks)";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new IndexCounts(reader.GetInt32(0), reader.GetInt32(1));
    }, cancellationToken);

    private readonly CountsCache _counts = new();

    public async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE; DELETE FROM articles WHERE rowid = -1; ROLLBACK;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken) => _database.ConnectAsync(cancellationToken);

    internal Task<T> WithWriteLockAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken) => _database.WithWriteLockAsync(action, cancellationToken);

    private static Article ReadArticle(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : SqliteValues.ReadDate(reader.GetString(3)),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7))
    {
        IngestedAt = SqliteValues.ReadInstant(reader.GetString(8)),
        UpdatedAt = SqliteValues.ReadInstant(reader.GetString(9)),
    };

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(cancellationToken))!, typeof(T), CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lexical snapshot '{Path}' is damaged ({Damage}): ignored, the index is rebuilt from the chunks")]
    private static partial void LogDamagedSnapshot(ILogger logger, string path, string damage);

    private InvalidOperationException NotOpen() => new($"The index '{Location}' has not been opened yet (call OpenAsync first).");

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return ValueTask.CompletedTask; // the container disposes the store once per interface it is registered under
        if (_memory is not null)
        {
            _snapshotSave.GetAwaiter().GetResult(); // the one written after open, if still running
            SaveSnapshotAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        _memory?.Dispose();
        if (_ownsDatabase)
            _database.Dispose();
        return ValueTask.CompletedTask;
    }
}
