using System.Globalization;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The index on a PostgreSQL server, shared by several bot replicas. Articles, chunks (vectors as <c>real[]</c>), the
/// digest ledger, conversations and feedback live in the database; each replica keeps an <see cref="InMemoryIndex"/>
/// (lexical postings of every analyser and every vector) for search, as the embedded store does, and follows the other
/// replicas' writes through a change log announced with <c>NOTIFY</c> (and polled, should a notification be missed). Writes are serialised across replicas by a transaction-level advisory lock, and each batch is one
/// transaction.
/// </summary>
public sealed partial class PostgresIndexStore : IIndexStore
{
    private readonly PostgresDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TextAnalyzer _analyzer;
    private readonly TimeProvider _time;
    private readonly bool _loadVectors;
    private readonly StoreOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _syncLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private InMemoryIndex? _memory;
    private PostgresChunks? _chunks;
    private long _lastSeq;
    private Task? _follower;
    private int _disposed;
    private long _changes;
    private Task _snapshotSave = Task.CompletedTask;
    private HeldChunks? _held;
    private Task _holding = Task.CompletedTask;
    private int _wrote;

    /// <summary>A store over a database of its own (tools, tests): it opens and closes the data source itself.</summary>
    public PostgresIndexStore(
        StoreOptions options, TextAnalyzer analyzer, TimeProvider time,
        bool loadVectors = false, ILogger<PostgresIndexStore>? logger = null)
        : this(new PostgresDatabase(options), options, analyzer, time, loadVectors, logger) => _ownsDatabase = true;

    /// <summary>The index kept in <paramref name="database"/>, beside the small stores that share it.</summary>
    public PostgresIndexStore(
        PostgresDatabase database, StoreOptions options, TextAnalyzer analyzer, TimeProvider time,
        bool loadVectors = false, ILogger<PostgresIndexStore>? logger = null)
    {
        _database = database;
        _options = options;
        ReplicaName = database.ReplicaName;
        Location = database.Location;
        _analyzer = analyzer;
        _time = time;
        _loadVectors = loadVectors;
        _logger = logger ?? NullLogger<PostgresIndexStore>.Instance;
    }

    /// <summary>The database the index is kept in.</summary>
    public PostgresDatabase Database => _database;

    public string Location { get; }

    public long ChangeCount => Interlocked.Read(ref _changes);

    /// <summary>This process's name in the database: leader record, connection application name.</summary>
    public string ReplicaName { get; }



    /// <summary>What the index holds in memory, structure by structure (the <c>pipeline</c> benchmark prints it).</summary>
    public IReadOnlyList<MemoryPart> Footprint() =>
        Volatile.Read(ref _held) is { } held ? [.. Memory.Footprint(), new MemoryPart("held chunk records (estimated)", held.Bytes)] : Memory.Footprint();

    internal InMemoryIndex Memory => _memory ?? throw NotOpen();

    internal VectorIndex Vectors => Memory.Vectors;

    public ChatBot.Core.Indexing.Lexical.LexicalIndex Lexical => Memory.Lexical;

    internal TextAnalyzer Analyzer => _analyzer;

    internal NpgsqlDataSource Data => _database.Data;

    public async Task<bool> OpenAsync(string embedderId, int dimensions, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await _database.MigrateAsync(connection, _logger, cancellationToken);
        var reset = await EnsureEmbedderAsync(embedderId, dimensions, cancellationToken);
        await _syncLock.WaitAsync(cancellationToken);
        try
        {
            var snapshot = await PostgresLexicalSnapshot.LoadAsync(connection, damage => LogDamagedSnapshot(_logger, Location, damage), cancellationToken);
            InMemoryIndex memory;
            long seq;
            if (snapshot is { } stored)
            {
                memory = new InMemoryIndex(dimensions, stored.Index) { VectorsLoaded = _loadVectors };
                if (memory.VectorsLoaded)
                    await PostgresMemoryLoader.LoadVectorsAsync(this, memory.Vectors, cancellationToken); // the log below brings them to the same position
                seq = stored.Position;
            }
            else
            {
                (memory, seq) = await PostgresMemoryLoader.LoadAsync(this, NewMemory(dimensions), cancellationToken);
            }
            var old = _memory;
            (_memory, _lastSeq) = (memory, seq);
            old?.Dispose();
            Interlocked.Increment(ref _changes);
            OpenedFromSnapshot = snapshot is not null;
        }
        finally { _syncLock.Release(); }
        if (OpenedFromSnapshot)
            await SyncAsync(cancellationToken); // what was written since the snapshot
        else
            _snapshotSave = Task.Run(() => SaveSnapshotAsync(CancellationToken.None), CancellationToken.None); // share the analysis just made (a close waits for it)
        _chunks = new PostgresChunks(this);
        StartHoldingChunks();
        _follower ??= Task.Run(() => FollowAsync(_stopping.Token), CancellationToken.None);
        return reset;
    }

    /// <summary>Whether the last open read the lexical index from the database's snapshot rather than analysing the chunks.</summary>
    internal bool OpenedFromSnapshot { get; private set; }

    /// <summary>
    /// Stores this replica's lexical index as the shared snapshot when the stored one is older (after an open that
    /// analysed the chunks, and when a replica that wrote to the index closes). A failure only costs the next replica
    /// its faster start: it is logged, never thrown.
    /// </summary>
    internal async Task SaveSnapshotAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Memory.Lexical.Count == 0)
                return; // nothing that analysing would cost
            await using var connection = await ConnectAsync(cancellationToken);
            if (await PostgresLexicalSnapshot.StoredPositionAsync(connection, cancellationToken) >= Interlocked.Read(ref _lastSeq))
                return;
            await PostgresLexicalSnapshot.SaveAsync(connection, async (stream, ct) =>
            {
                await _syncLock.WaitAsync(ct); // the index and its position stay together while they are written
                try
                {
                    Memory.Lexical.Save(stream, _lastSeq);
                    return _lastSeq;
                }
                finally { _syncLock.Release(); }
            }, ReplicaName, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // a snapshot is an optimisation: whatever stops it is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSnapshotFailed(_logger, ex, Location);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lexical snapshot in {Location} is damaged ({Damage}); analysing the chunks instead")]
    private static partial void LogDamagedSnapshot(ILogger logger, string location, string damage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the lexical snapshot in {Location}; the next replica to start analyses the chunks")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string location);

    private async Task<bool> EnsureEmbedderAsync(string embedderId, int dimensions, CancellationToken cancellationToken)
    {
        var wanted = $"{embedderId}|{dimensions.ToString(CultureInfo.InvariantCulture)}";
        string? current = null;
        var changed = await WriteAsync(async writer =>
        {
            current = await writer.GetMetaAsync("embedder", cancellationToken);
            if (current == wanted)
                return false;
            // Never mix vectors of two embedders: drop every chunk and make every article look changed.
            await writer.DropAllChunksAsync(cancellationToken);
            await writer.SetMetaAsync("embedder", wanted, cancellationToken);
            return true;
        }, cancellationToken);
        return changed && current is not null;
    }

    /// <summary>An empty in-memory index; vectors load with it unless no search would read them.</summary>
    private InMemoryIndex NewMemory(int dimensions) => new(dimensions) { VectorsLoaded = _loadVectors };

    /// <summary>The vectors, loaded on the first vector search when they did not load at open; the change log keeps them current after.</summary>
    internal ValueTask EnsureVectorsAsync(CancellationToken cancellationToken) =>
        Memory.EnsureVectorsAsync(_syncLock, (vectors, ct) => PostgresMemoryLoader.LoadVectorsAsync(this, vectors, ct), cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> GetFileFingerprintsAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = _database.Data.CreateCommand("SELECT path, fingerprint FROM files");
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    public async Task<IReadOnlyDictionary<string, ArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ArticleState>(StringComparer.Ordinal);
        await using var command = _database.Data.CreateCommand("SELECT id, content_hash, path FROM articles");
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result[reader.GetString(0)] = new ArticleState(reader.GetString(1), reader.GetString(2));
        return result;
    }

    public async Task ApplyAsync(IndexChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
            return;
        changes.EnsureDimensions(Vectors.Dimensions);
        var now = _time.GetUtcNow();
        await WriteAsync(async writer =>
        {
            await writer.ApplyAsync(changes, changes.KeepTimestamps ? null : now, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task<Article?> GetArticleAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _database.Data.CreateCommand("SELECT id, title, source, published, url, path, text, content_hash, ingested_at, updated_at FROM articles WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadArticle(reader) : null;
    }

    public Task<IReadOnlyList<Article>> ListArticlesAsync(CancellationToken cancellationToken) =>
        ListArticlesAsync(limit: null, cancellationToken);

    public Task<IReadOnlyList<Article>> ListNewestArticlesAsync(int count, CancellationToken cancellationToken) =>
        ListArticlesAsync(limit: count, cancellationToken);

    public async Task<IReadOnlyDictionary<string, DateOnly?>> GetPublishedDatesAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.Data.CreateCommand("SELECT id, published FROM articles");
        var result = new Dictionary<string, DateOnly?>(StringComparer.Ordinal);
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1);
        return result;
    }

    private async Task<IReadOnlyList<Article>> ListArticlesAsync(int? limit, CancellationToken cancellationToken)
    {
        await using var command = _database.Data.CreateCommand("""
            SELECT id, title, source, published, url, path, '', content_hash, ingested_at, updated_at FROM articles
            ORDER BY published DESC NULLS LAST, title COLLATE "C", id COLLATE "C" LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", (object?)limit ?? DBNull.Value);
        var result = new List<Article>();
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(ReadArticle(reader));
        return result;
    }

    public Task<IReadOnlyList<ChunkRecord>> GetArticleChunksAsync(string articleId, CancellationToken cancellationToken) =>
        ReadArticleChunksAsync(articleId, includeVectors: false, cancellationToken);

    public Task<IReadOnlyList<ChunkRecord>> ExportArticleChunksAsync(string articleId, CancellationToken cancellationToken) =>
        ReadArticleChunksAsync(articleId, includeVectors: true, cancellationToken);

    private async Task<IReadOnlyList<ChunkRecord>> ReadArticleChunksAsync(string articleId, bool includeVectors, CancellationToken cancellationToken)
    {
        await using var command = _database.Data.CreateCommand($"SELECT {PostgresChunks.ColumnsFor(includeVectors)} FROM chunks WHERE article_id = @id ORDER BY ordinal");
        command.Parameters.AddWithValue("id", articleId);
        return await PostgresChunks.ReadAllAsync(command, includeVectors, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, ArticleWithChunks>> GetArticlesWithChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ArticleWithChunks>(StringComparer.Ordinal);
        if (ids.Count == 0)
            return result;
        var array = ids.ToArray();
        if (Volatile.Read(ref _held) is { } held)
            return await ReadArticlesAsync(array, held, cancellationToken);
        // Both reads in one batch: one round trip for the passages of an answer, however many articles they come from.
        await using var connection = await ConnectAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var articles = new NpgsqlBatchCommand(ArticlesByIds);
        articles.Parameters.AddWithValue("ids", array);
        var chunks = new NpgsqlBatchCommand($"SELECT {PostgresChunks.ColumnsWithoutVector} FROM chunks WHERE article_id = ANY(@ids) ORDER BY article_id, ordinal");
        chunks.Parameters.AddWithValue("ids", array);
        batch.BatchCommands.Add(articles);
        batch.BatchCommands.Add(chunks);
        NpgsqlDataReader reader;
        try
        {
            reader = await batch.ExecuteReaderAsync(cancellationToken);
        }
        catch (NpgsqlException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
        {
            throw new IndexStoreException($"The PostgreSQL index at {Location} is unreachable ({ex.Message.TrimEnd('.')}).", ex);
        }
        await using (reader)
        {
            var found = new Dictionary<string, Article>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var article = ReadArticle(reader);
                found[article.Id] = article;
            }
            await reader.NextResultAsync(cancellationToken);
            var byArticle = new Dictionary<string, List<ChunkRecord>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var chunk = ChunkRows.Read(reader, includeVectors: false, static (_, _) => []);
                if (!byArticle.TryGetValue(chunk.ArticleId, out var list))
                    byArticle[chunk.ArticleId] = list = [];
                list.Add(chunk);
            }
            foreach (var (id, article) in found)
                result[id] = new ArticleWithChunks(article, byArticle.TryGetValue(id, out var list) ? list : []);
        }
        return result;
    }

    /// <summary>Whole articles (text included) by id, in <see cref="ReadArticle"/>'s column order.</summary>
    private const string ArticlesByIds = "SELECT id, title, source, published, url, path, text, content_hash, ingested_at, updated_at FROM articles WHERE id = ANY(@ids)";

    /// <summary>The articles from the database, their chunks from those this replica holds.</summary>
    private async Task<IReadOnlyDictionary<string, ArticleWithChunks>> ReadArticlesAsync(string[] ids, HeldChunks held, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ArticleWithChunks>(StringComparer.Ordinal);
        var chunks = held.OfArticles(ids);
        await using var command = _database.Data.CreateCommand(ArticlesByIds);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var article = ReadArticle(reader);
            result[article.Id] = new ArticleWithChunks(article, chunks.TryGetValue(article.Id, out var list) ? list : []);
        }
        return result;
    }

    public async Task<IndexEmbedder?> ReadEmbedderAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        if (!await ScalarAsync<bool>(connection, "SELECT to_regclass('chatbot_migrations') IS NOT NULL AND to_regclass('meta') IS NOT NULL", cancellationToken))
            return null;
        await using var command = new NpgsqlCommand("SELECT value FROM meta WHERE key = 'embedder'", connection);
        return IndexEmbedder.Parse((string?)await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyDictionary<long, ChunkRecord>> GetChunksAsync(IReadOnlyList<long> rowIds, CancellationToken cancellationToken)
    {
        var chunks = _chunks ?? throw NotOpen();
        return Volatile.Read(ref _held) is { } held
            ? held.Get(rowIds)
            : await chunks.LoadAsync(rowIds, includeVectors: false, cancellationToken);
    }

    public async ValueTask<List<(long Id, float Score)>> NearestAsync(ReadOnlyMemory<float> query, int top, CancellationToken cancellationToken)
    {
        _ = _chunks ?? throw NotOpen();
        await EnsureVectorsAsync(cancellationToken);
        return Memory.Vectors.Search(query.Span, top);
    }

    public Task ClearChunksAsync(CancellationToken cancellationToken) => (_chunks ?? throw NotOpen()).ClearAsync(cancellationToken);

    public Task<IndexCounts> GetCountsAsync(CancellationToken cancellationToken) => _counts.GetAsync(ChangeCount, async ct =>
    {
        await using var command = _database.Data.CreateCommand("SELECT (SELECT count(*) FROM articles)::integer, (SELECT count(*) FROM chunks)::integer");
        await using var reader = await ExecuteReaderAsync(command, ct);
        await reader.ReadAsync(ct);
        return new IndexCounts(reader.GetInt32(0), reader.GetInt32(1));
    }, cancellationToken);

    private readonly CountsCache _counts = new();

    public async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.Data.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM articles WHERE false", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="action"/> in one transaction that holds the database-wide write lock, logs every chunk it
    /// touched and announces the change; once committed, this replica's vectors follow at once.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<PostgresIndexWriter, Task<T>> action, CancellationToken cancellationToken)
    {
        T result;
        await using (var connection = await ConnectAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.WriteLock})", cancellationToken);
            var writer = new PostgresIndexWriter(connection);
            result = await action(writer);
            await writer.CompleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (writer.TouchedAny)
                Volatile.Write(ref _wrote, 1);
        }
        if (_memory is not null)
            await SyncAsync(cancellationToken);
        return result;
    }

    internal Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken) => _database.ConnectAsync(cancellationToken);

    internal async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (NpgsqlException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
        {
            throw new IndexStoreException($"The PostgreSQL index at {Location} is unreachable ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(cancellationToken))!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static Article ReadArticle(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7))
    {
        IngestedAt = reader.GetFieldValue<DateTimeOffset>(8),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(9),
    };

    private InvalidOperationException NotOpen() => new($"The index {Location} has not been opened yet (call OpenAsync first).");

    /// <summary>Idempotent: the container disposes the store once per interface it is registered under.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stopping.CancelAsync();
        if (_follower is not null)
        {
            try { await _follower; }
            catch (OperationCanceledException) { }
        }
        await _snapshotSave;
        await _holding; // never throws: a failure to hold the chunks is logged
        if (_memory is not null && Volatile.Read(ref _wrote) == 1)
            await SaveSnapshotAsync(CancellationToken.None); // the writer leaves its index for the next replica to start from
        _memory?.Dispose();
        _syncLock.Dispose();
        _stopping.Dispose();
        if (_ownsDatabase)
            await _database.DisposeAsync();
    }

}
