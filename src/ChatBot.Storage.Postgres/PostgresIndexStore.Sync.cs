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
                Interlocked.Increment(ref _changes);
                LogReloaded(_logger, memory.Lexical.Count);
                Synced?.Invoke(memory.Lexical.Count);
                return;
            }
            await using var command = new NpgsqlCommand("""
                SELECT l.seq, l.chunk_id, c.title, c.text, c.embedding FROM chunk_log l LEFT JOIN chunks c ON c.id = l.chunk_id
                WHERE l.seq > @last ORDER BY l.seq
                """, connection);
            command.Parameters.AddWithValue("last", _lastSeq);
            var changes = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetInt64(1);
                    if (reader.IsDBNull(4))
                        Memory.Remove(id);
                    else
                        Memory.Upsert(new InMemoryIndex.Row(id, reader.GetString(2), reader.GetString(3), reader.GetFieldValue<float[]>(4)));
                    _lastSeq = reader.GetInt64(0);
                    changes++;
                }
            }
            if (changes > 0)
            {
                Interlocked.Increment(ref _changes);
                Synced?.Invoke(changes);
            }
        }
        finally { _syncLock.Release(); }
    }

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
