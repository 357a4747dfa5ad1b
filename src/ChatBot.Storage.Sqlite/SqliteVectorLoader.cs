using System.Runtime.InteropServices;
using ChatBot.Core.Indexing;
using Microsoft.Data.Sqlite;

namespace ChatBot.Storage.Sqlite;

/// <summary>The in-memory vectors of a SQLite index, read from the chunks' BLOBs.</summary>
internal static class SqliteVectorLoader
{
    /// <summary>Every vector, read by row-id ranges on one connection per core (WAL lets readers run side by side).</summary>
    public static async Task LoadAsync(SqliteIndexStore store, SqliteConnection connection, VectorIndex index, CancellationToken cancellationToken)
    {
        var dimensions = index.Dimensions;
        long low, high;
        await using (var bounds = connection.CreateCommand())
        {
            bounds.CommandText = "SELECT coalesce(min(rowid), 0), coalesce(max(rowid), -1) FROM chunks";
            await using var reader = await bounds.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (low, high) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        if (high < low)
            return;
        var parts = high - low < 20_000 ? 1 : Environment.ProcessorCount;
        var width = (high - low) / parts + 1;
        await Task.WhenAll(Enumerable.Range(0, parts).Select(part => Task.Run(async () =>
        {
            await using var own = await store.ConnectAsync(cancellationToken);
            await using var command = own.CreateCommand();
            command.CommandText = "SELECT rowid, embedding FROM chunks WHERE rowid BETWEEN $from AND $to";
            command.Parameters.AddWithValue("$from", low + part * width);
            command.Parameters.AddWithValue("$to", Math.Min(high, low + (part + 1) * width - 1));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var buffer = new byte[dimensions * sizeof(float)];
            while (await reader.ReadAsync(cancellationToken))
            {
                // Into one reused buffer: 100k vectors would otherwise be 100k arrays for the GC.
                var length = (int)reader.GetBytes(1, 0, buffer, 0, buffer.Length);
                index.Upsert(reader.GetInt64(0), MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, length)));
            }
        }, cancellationToken)));
    }
}
