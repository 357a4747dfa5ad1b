using System.Globalization;
using ChatBot.Core.Foundation.Replicas;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// Leadership among replicas as a session-level advisory lock, held on a dedicated connection for as long as the
/// leader lives. When the leader process dies its connection closes and the server frees the lock (keepalives set
/// on that session make the server notice a vanished host within seconds); the next replica to try takes it.
/// The leader checks its connection every <see cref="StoreOptions.LeaderRetrySeconds"/> and steps down if it broke.
/// </summary>
public sealed partial class PostgresLeadership : ILeadership, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private NpgsqlConnection? _held;
    private CancellationTokenSource? _lost;
    private Task? _heartbeat;
    private int _disposeCalls;
    private int _refused;

    public PostgresLeadership(StoreOptions options, ILogger<PostgresLeadership>? logger = null)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = false,
            ApplicationName = $"chatbot {options.EffectiveReplicaName} leader",
            KeepAlive = 2,
        }.ConnectionString;
        _interval = TimeSpan.FromSeconds(options.LeaderRetrySeconds);
        _logger = logger ?? NullLogger<PostgresLeadership>.Instance;
    }

    public bool IsLeader => _lost is { IsCancellationRequested: false };

    /// <summary>Tries that found the lead taken by another replica (what a test waits on instead of sleeping).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public async Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var token = linked.Token;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            NpgsqlConnection? connection = null;
            try
            {
                connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(token);
                await PostgresIndexStore.ExecuteAsync(connection, "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3;", token);
                if (await PostgresIndexStore.ScalarAsync<bool>(connection, $"SELECT pg_try_advisory_lock({PostgresSchema.LeaderLock})", token))
                {
                    var lost = new CancellationTokenSource();
                    (_held, _lost) = (connection, lost);
                    connection = null;
                    _heartbeat = Task.Run(() => HeartbeatAsync(lost), CancellationToken.None);
                    return lost.Token;
                }
                Interlocked.Increment(ref _refused);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !token.IsCancellationRequested)
            {
                LogTryFailed(_logger, ex.Message);
            }
            finally
            {
                if (connection is not null)
                    await connection.DisposeAsync();
            }
            await Task.Delay(_interval, token);
        }
    }

    /// <summary>Checks the lock's connection; when it broke the lead is gone (the server has freed the lock).</summary>
    private async Task HeartbeatAsync(CancellationTokenSource lost)
    {
        var connection = _held!;
        try
        {
            while (!_disposed.IsCancellationRequested)
            {
                await Task.Delay(_interval, _disposed.Token);
                await PostgresIndexStore.ExecuteAsync(connection, "SELECT 1", _disposed.Token);
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // any failure of the connection means the lock is no longer ours
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLost(_logger, ex.Message);
        }
        await lost.CancelAsync();
        _held = null;
        await connection.DisposeAsync();
    }

    /// <summary>The application name of the session that holds the lead, or null when nobody leads.</summary>
    public static async Task<string?> CurrentLeaderAsync(NpgsqlDataSource data, CancellationToken cancellationToken)
    {
        await using var command = data.CreateCommand(string.Create(CultureInfo.InvariantCulture, $"""
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = {PostgresSchema.LeaderLock >> 32} AND l.objid = {PostgresSchema.LeaderLock & 0xFFFFFFFF} AND l.objsubid = 1
            """));
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeCalls, 1) == 1)
            return;
        await _disposed.CancelAsync();
        if (_heartbeat is not null)
            await _heartbeat;
        if (_held is { } held)
            await held.DisposeAsync(); // closing the session frees the lock at once
        _lost?.Dispose();
        _disposed.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not try for the lead: {Reason}")]
    private static partial void LogTryFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection that held the lead broke ({Reason}); stepping down")]
    private static partial void LogLost(ILogger logger, string reason);
}
