using ChatBot.Core.Search;
using Microsoft.Data.Sqlite;

namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The in-memory lexical index of a SQLite index: analysed from the chunks, or read back from its snapshot, a file
/// beside the database (<c>chatbot.db.lexical</c>) tagged with the database's generation (a counter every write
/// transaction increments). A snapshot of another generation is ignored and replaced. Written never half: to a
/// temporary file, then renamed.
/// </summary>
internal sealed class SqliteLexicalLoader(string snapshotPath)
{
    private long _savedGeneration = -1;

    public string SnapshotPath => snapshotPath;

    /// <summary>Whether the snapshot on disk is of <paramref name="generation"/>.</summary>
    public bool IsSaved(long generation) => Interlocked.Read(ref _savedGeneration) == generation;

    /// <summary>Every chunk's title and text, analysed into the lexical postings.</summary>
    public static async Task LoadFromChunksAsync(SqliteIndexStore store, LexicalIndex index, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, title, text FROM chunks ORDER BY rowid";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        index.AddRange(Rows(reader));

        static IEnumerable<(long, string, string)> Rows(SqliteDataReader reader)
        {
            while (reader.Read())
                yield return (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }
    }

    /// <summary>The snapshot of <paramref name="generation"/>, or null when there is none (or another, or an unreadable one).</summary>
    public LexicalIndex? LoadSnapshot(long generation)
    {
        try
        {
            using var file = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            if (LexicalIndex.ReadHeader(file) is not { } header || header.Position != generation)
                return null;
            file.Position = 0;
            var index = LexicalIndex.Load(file);
            if (index is not null)
                Interlocked.Exchange(ref _savedGeneration, generation);
            return index;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or EndOfStreamException)
        {
            return null; // no snapshot, or a damaged one: the index is built from the chunks
        }
    }

    /// <summary>Writes <paramref name="index"/> as the snapshot of <paramref name="generation"/>; the caller keeps writes out meanwhile.</summary>
    public void SaveSnapshot(LexicalIndex index, long generation)
    {
        try
        {
            var temporary = snapshotPath + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                index.Save(file, generation);
            File.Move(temporary, snapshotPath, overwrite: true);
            Interlocked.Exchange(ref _savedGeneration, generation);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a faster next start is lost: the index rebuilds from the chunks.
        }
    }
}
