using ChatBot.Core.Indexing;
using Microsoft.Data.Sqlite;

namespace ChatBot.Storage.Sqlite;

/// <summary>Brings an index file to this build's schema (<see cref="SqliteSchema"/>): created when empty, migrated step by step when older.</summary>
internal static class SqliteMigrations
{
    /// <summary>Creates the schema in an empty file, or migrates an older one; refuses another application's database or a newer schema.</summary>
    public static async Task EnsureAsync(SqliteConnection connection, string location, CancellationToken cancellationToken)
    {
        var applicationId = await SqliteIndexStore.ScalarAsync<long>(connection, "PRAGMA application_id", cancellationToken);
        var version = await SqliteIndexStore.ScalarAsync<long>(connection, "PRAGMA user_version", cancellationToken);
        var tables = await SqliteIndexStore.ScalarAsync<long>(connection, "SELECT count(*) FROM sqlite_master", cancellationToken);
        if (tables == 0)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await SqliteIndexStore.ExecuteAsync(connection, SqliteSchema.Create, cancellationToken);
            await SqliteIndexStore.ExecuteAsync(connection, $"PRAGMA application_id = {SqliteSchema.ApplicationId}; PRAGMA user_version = 1;", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await MigrateAsync(connection, 1, cancellationToken);
            return;
        }
        if (applicationId != SqliteSchema.ApplicationId)
            throw new IndexStoreException(
                $"The file '{location}' is a SQLite database of another application, not a ChatBot index. " +
                "Point ChatBot:Store:Path (environment: ChatBot__Store__Path) elsewhere, or run `index --rebuild` to build a new index there (the file is set aside beside it, not deleted).");
        if (version > SqliteSchema.Version)
            throw new IndexStoreException(
                $"The index '{location}' was written by a newer version of ChatBot (schema {version}, this build reads {SqliteSchema.Version}). " +
                "Upgrade, or run `index --rebuild` to rebuild it for this version.");
        await MigrateAsync(connection, (int)version, cancellationToken);
    }

    /// <summary>Applies each migration after <paramref name="from"/>, one transaction each, so a failed step leaves a readable version.</summary>
    private static async Task MigrateAsync(SqliteConnection connection, int from, CancellationToken cancellationToken)
    {
        for (var version = from + 1; version <= SqliteSchema.Version; version++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await SqliteIndexStore.ExecuteAsync(connection, SqliteSchema.Migrations[version], cancellationToken);
            await SqliteIndexStore.ExecuteAsync(connection, $"PRAGMA user_version = {version};", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
