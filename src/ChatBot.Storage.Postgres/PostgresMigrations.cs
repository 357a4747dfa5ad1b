using System.Globalization;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>Brings a database to this build's schema (<see cref="PostgresSchema.Migrations"/>), once per version across replicas.</summary>
internal static partial class PostgresMigrations
{
    /// <summary>Applies the migrations this database lacks, under a session advisory lock: replicas starting together apply each once.</summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, string location, ILogger logger, CancellationToken cancellationToken)
    {
        await PostgresIndexStore.ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgresSchema.MigrationLock})", cancellationToken);
        try
        {
            await PostgresIndexStore.ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS chatbot_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            var current = await PostgresIndexStore.ScalarAsync<int>(connection, "SELECT coalesce(max(version), 0) FROM chatbot_migrations", cancellationToken);
            if (current == 0 && await PostgresIndexStore.ScalarAsync<bool>(connection, "SELECT to_regclass('chunks') IS NOT NULL", cancellationToken))
                throw new IndexStoreException(
                    $"The database {location} already has a table named 'chunks' that ChatBot did not create. Use an empty database (or schema) for the bot.");
            if (current > PostgresSchema.Version)
                throw new IndexStoreException(
                    $"The database {location} was migrated by a newer version of ChatBot (schema {current}, this build knows {PostgresSchema.Version}). Upgrade this replica.");
            for (var version = current + 1; version <= PostgresSchema.Version; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await PostgresIndexStore.ExecuteAsync(connection, PostgresSchema.Migrations[version], cancellationToken);
                await PostgresIndexStore.ExecuteAsync(connection, $"INSERT INTO chatbot_migrations (version) VALUES ({version.ToString(CultureInfo.InvariantCulture)})", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogMigrated(logger, location, version);
            }
        }
        finally
        {
            await PostgresIndexStore.ExecuteAsync(connection, $"SELECT pg_advisory_unlock({PostgresSchema.MigrationLock})", CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrated the PostgreSQL index {Location} to schema {Version}")]
    private static partial void LogMigrated(ILogger logger, string location, int version);
}
