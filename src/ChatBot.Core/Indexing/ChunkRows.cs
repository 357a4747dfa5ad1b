using System.Data.Common;
using ChatBot.Core.Ingestion;

namespace ChatBot.Core.Indexing;

/// <summary>
/// Reading chunk rows, for every store: the columns are selected in the order row id, key, article id, ordinal, start,
/// end, title, text, vector; only the vector's column type differs (a BLOB, a <c>real[]</c>).
/// </summary>
public static class ChunkRows
{
    public static ChunkRecord Read(DbDataReader reader, bool includeVectors, Func<DbDataReader, int, float[]> readVector) => new()
    {
        Key = reader.GetString(1),
        ArticleId = reader.GetString(2),
        Ordinal = reader.GetInt32(3),
        Start = reader.GetInt32(4),
        End = reader.GetInt32(5),
        Title = reader.GetString(6),
        Text = reader.GetString(7),
        Embedding = includeVectors ? readVector(reader, 8) : ReadOnlyMemory<float>.Empty,
    };

    /// <summary>Every row of the command, by row id, in the order read.</summary>
    public static async Task<List<(long RowId, ChunkRecord Record)>> ReadAllAsync(
        DbCommand command, bool includeVectors, Func<DbDataReader, int, float[]> readVector, CancellationToken cancellationToken)
    {
        var rows = new List<(long, ChunkRecord)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add((reader.GetInt64(0), Read(reader, includeVectors, readVector)));
        return rows;
    }
}
