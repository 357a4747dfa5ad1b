using ChatBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// How a replica's in-memory index (lexical postings and vectors) follows the database. Every write logs the chunk ids it touched
/// (<c>chunk_log</c>) and sends <c>NOTIFY chatbot_index</c> on commit; each replica LISTENs on a dedicated connection,
/// and on a notification (or every <see cref="StoreOptions.SyncPollSeconds"/>, should one be missed) reads the log
/// past its position: a logged chunk that still exists is (re)loaded, one that does not is dropped. A replica
/// further behind than the log keeps reloads everything.
/// </summary>
public sealed partial class PostgresIndexStore
{
    /// <summary>The change feed lost: 0.5 s, doubling to 8 s.</summary>
    private static readonly ChatBot.Core.Foundation.Concurrency.Backoff FeedRetry = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(8));

    /// <summary>Raised after this replica's in-memory index caught up with changes (from any replica).</summary>
    public event Action<int>? Synced;

    /// <summary>Brings this replica's in-memory index up to date with the change log.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _syncLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            var floor = await ScalarAsync<long>(connection, "SELECT coalesce((SELECT value::bigint FROM meta WHERE key = 'log_floor'), 0)", cancellationToken);
            if (floor > _lastSeq)
            {
                // The log no longer reaches back to where this replica stands: start from a fresh snapshot.
                var (memory, seq) = await PostgresMemoryLoader.LoadAsync(this, NewMemory(Memory.Dimensions), cancellationToken);
                var old = _memory;
                (_memory, _lastSeq) = (memory, seq);
                old?.Dispose();
                StartHoldingChunks(); // the records held are as far behind as the index was
                Interlocked.Increment(ref _changes);
                LogReloaded(_logger, memory.Lexical.Count);
                Synced?.Invoke(memory.Lexical.Count);
                return;
            }
            await using var command = new NpgsqlCommand($"{LoggedChunks} WHERE l.seq > @last ORDER BY l.seq", connection);
            command.Parameters.AddWithValue("last", _lastSeq);
            var changes = 0;
            var held = Volatile.Read(ref _held);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetInt64(0);
                    if (reader.IsDBNull(8))
                        Memory.Remove(id);
                    else
                        Memory.Upsert(new InMemoryIndex.Row(id, reader.GetString(6), reader.GetString(7), reader.GetFieldValue<float[]>(8)));
                    if (held is not null)
                        Hold(held, reader);
                    _lastSeq = reader.GetInt64(9);
                    changes++;
                }
            }
            if (held is not null && held.Bytes > HeldBudget)
            {
                Volatile.Write(ref _held, null);
                LogHeldOverBudget(_logger, held.Bytes / 1048576.0, _options.HeldChunksMegabytes);
            }
            if (changes > 0)
            {
                Interlocked.Increment(ref _changes);
                Synced?.Invoke(changes);
            }
        }
        finally { _syncLock.Release(); }
    }

    /// <summary>
    /// The change log joined with the chunks as they are now (null columns: the chunk is gone): the chunk columns in
    /// <see cref="ChunkRows"/>' order, then the log's position.
    /// </summary>
    private const string LoggedChunks = """
        SELECT l.chunk_id, c.key, c.article_id, c.ordinal, c.start_offset, c.end_offset, c.title, c.text, c.embedding, l.seq
        FROM chunk_log l LEFT JOIN chunks c ON c.id = l.chunk_id
        """;

    private int _holdGeneration;

    private long HeldBudget => (long)(_options.HeldChunksMegabytes * 1024 * 1024);

    /// <summary>A row of <see cref="LoggedChunks"/> applied to the records held.</summary>
    private static void Hold(HeldChunks held, NpgsqlDataReader reader)
    {
        var id = reader.GetInt64(0);
        if (reader.IsDBNull(1))
            held.Remove(id);
        else
            held.Upsert(id, ChunkRows.Read(reader, includeVectors: false, static (_, _) => []));
    }

    /// <summary>
    /// Starts reading every chunk's record into memory when <see cref="StoreOptions.HeldChunksMegabytes"/> allows; until
    /// it is done (and whenever the chunks outgrow the budget) they are read per answer.
    /// </summary>
    private void StartHoldingChunks()
    {
        Volatile.Write(ref _held, null);
        var generation = Interlocked.Increment(ref _holdGeneration);
        if (_options.HeldChunksMegabytes > 0)
            _holding = _holding.ContinueWith(_ => HoldChunksAsync(generation, _stopping.Token), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
    }

    /// <summary>The last reading of the chunk records, done (held, over the budget or failed) when it completes; it never faults.</summary>
    internal Task Holding => _holding;

    /// <summary>Whether this replica answers from the chunk records it holds.</summary>
    internal bool HoldsChunks => Volatile.Read(ref _held) is not null;

    /// <summary>
    /// Every chunk's record, read in one repeatable-read snapshot with the change-log position it matches, then brought
    /// to this replica's position with the log. Never throws: the records are an optimisation, and without them the
    /// chunks are read from the database.
    /// </summary>
    private async Task HoldChunksAsync(int generation, CancellationToken cancellationToken)
    {
        try
        {
            if (generation != Volatile.Read(ref _holdGeneration))
                return; // a reload since has asked for another reading
            var held = new HeldChunks();
            long seq;
            await using (var connection = await ConnectAsync(cancellationToken))
            {
                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
                seq = await ScalarAsync<long>(connection, "SELECT coalesce((SELECT max(seq) FROM chunk_log), 0)", cancellationToken);
                await using (var size = new NpgsqlCommand("SELECT count(*), coalesce(sum(length(key) + length(article_id) + length(title) + length(text)), 0)::bigint FROM chunks", connection))
                await using (var reader = await size.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    var estimate = HeldChunks.Estimate(reader.GetInt64(1), reader.GetInt64(0));
                    if (estimate > HeldBudget)
                    {
                        LogHeldOverBudget(_logger, estimate / 1048576.0, _options.HeldChunksMegabytes);
                        return;
                    }
                }
                await using (var command = new NpgsqlCommand($"SELECT {PostgresChunks.ColumnsWithoutVector} FROM chunks", connection))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                        held.Upsert(reader.GetInt64(0), ChunkRows.Read(reader, includeVectors: false, static (_, _) => []));
                }
                await transaction.CommitAsync(cancellationToken);
            }
            await _syncLock.WaitAsync(cancellationToken);
            try
            {
                if (generation != _holdGeneration)
                    return; // the index was reloaded meanwhile (the log may not reach back to the snapshot): the next reading holds
                // What this replica has followed since that snapshot (the same rows the index read: as they are now).
                await using var connection = await ConnectAsync(cancellationToken);
                await using var command = new NpgsqlCommand($"{LoggedChunks} WHERE l.seq > @from AND l.seq <= @to ORDER BY l.seq", connection);
                command.Parameters.AddWithValue("from", seq);
                command.Parameters.AddWithValue("to", _lastSeq);
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                        Hold(held, reader);
                }
                if (held.Bytes > HeldBudget)
                {
                    LogHeldOverBudget(_logger, held.Bytes / 1048576.0, _options.HeldChunksMegabytes);
                    return;
                }
                Volatile.Write(ref _held, held);
            }
            finally { _syncLock.Release(); }
            LogHeld(_logger, held.Count, held.Bytes / 1048576.0);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // holding the chunks is an optimisation: whatever stops it is logged, and answers read the database
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHoldFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Holding {Count} chunk records in memory (about {Megabytes:0.0} MB): answers read them without a round trip")]
    private static partial void LogHeld(ILogger logger, int count, double megabytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chunk records need about {Megabytes:0.0} MB, more than ChatBot:Store:HeldChunksMegabytes ({Budget} MB): answers read them from the database")]
    private static partial void LogHeldOverBudget(ILogger logger, double megabytes, double budget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hold the chunk records in memory; answers read them from the database")]
    private static partial void LogHoldFailed(ILogger logger, Exception exception);

    /// <summary>LISTENs for index changes for the life of the store; a broken connection is retried with backoff.</summary>
    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var poll = TimeSpan.FromSeconds(_options.SyncPollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_database.ListenConnectionString);
                await connection.OpenAsync(stoppingToken);
                await ExecuteAsync(connection, $"LISTEN {PostgresSchema.Channel}", stoppingToken);
                // Whatever changed while the connection was down is read now.
                await SyncAsync(stoppingToken);
                failures = 0;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(poll, stoppingToken);
                    await SyncAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the follower must outlive any failure: it is logged and retried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                var delay = FeedRetry.Delay(failures);
                LogFollowFailed(_logger, ex, delay.TotalSeconds);
                try { await Task.Delay(delay, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following index changes failed; reconnecting in {Seconds} s")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded {Count} chunks: this replica was further behind than the change log keeps")]
    private static partial void LogReloaded(ILogger logger, int count);
}
