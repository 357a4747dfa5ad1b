using ChatBot.Core.Indexing.Lexical;
using Microsoft.Data.Sqlite;

namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The in-memory lexical index of a SQLite index: analysed from the chunks, or read back from its snapshot, a file
/// beside the database (<c>chatbot.db.lexical</c>) tagged with the database's generation (a counter every write
/// transaction increments). A snapshot of another generation is ignored and replaced. Written never half: to a
/// temporary file, then renamed, and sealed with a SHA-256 of its content: a damaged snapshot (a flipped bit, a cut
/// file) is recognised before it is read, ignored with one warning, and rebuilt from the chunks.
/// </summary>
internal sealed class SqliteLexicalLoader(string snapshotPath)
{
    /// <summary>The trailer after the snapshot: its content's SHA-256, then this tag.</summary>
    private static readonly byte[] SealTag = "LXSEAL01"u8.ToArray();

    private const int SealLength = 32 + 8;

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

    /// <summary>
    /// The snapshot of <paramref name="generation"/>, or null when there is none, or another generation's, or a damaged
    /// one (<paramref name="damage"/> then says how: the caller warns once and rebuilds from the chunks).
    /// </summary>
    public LexicalIndex? LoadSnapshot(long generation, out string? damage)
    {
        damage = null;
        if (!File.Exists(snapshotPath))
            return null;
        try
        {
            // Unbuffered: the index's reader keeps a buffer of its own, and a second one here copied every byte twice
            // (~0.3 s of a million chunks' load).
            using var file = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            if (LexicalIndex.FormatOf(file) is { } format && format < LexicalIndex.CurrentSnapshotFormat)
                return null; // written by an older build: rebuilt from the chunks, nothing is wrong with it
            // The checksum is computed on another core while the index is read (0.7 s of a 1M-chunk snapshot's 4.4 s):
            // the reader checks every count against the bytes left, so a damaged file fails or is thrown away, never
            // allocates what it claims.
            var sealing = Task.Run(() =>
            {
                using var check = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                return Sealed(check);
            });
            LexicalIndex? index = null;
            Exception? unreadable = null;
#pragma warning disable CA1031 // held until the checksum's verdict, then rethrown (sealed) or reported as damage (not)
            try
            {
                file.Position = 0;
                if (LexicalIndex.ReadHeader(file) is { } header && header.Position == generation)
                {
                    file.Position = 0;
                    index = LexicalIndex.Load(new BoundedReadStream(file, file.Length - SealLength));
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                unreadable = ex;
            }
#pragma warning restore CA1031
            // The checksum's verdict comes first: a damaged file is reported as such, whatever reading it did.
            if (!sealing.GetAwaiter().GetResult())
            {
                index?.Dispose();
                damage = "its checksum does not match its content";
                return null;
            }
            if (unreadable is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unreadable);
            if (index is not null)
                Interlocked.Exchange(ref _savedGeneration, generation);
            return index;
        }
#pragma warning disable CA1031 // whatever a damaged file makes the reader throw, the index is rebuilt from the chunks
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            damage = $"{ex.GetType().Name}: {ex.Message}";
            return null;
        }
    }

    /// <summary>Whether the file ends with the SHA-256 of everything before it.</summary>
    private static bool Sealed(FileStream file)
    {
        if (file.Length < SealLength)
            return false;
        var trailer = new byte[SealLength];
        file.Position = file.Length - SealLength;
        file.ReadExactly(trailer);
        if (!trailer.AsSpan(32).SequenceEqual(SealTag))
            return false;
        file.Position = 0;
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var left = file.Length - SealLength;
        while (left > 0)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
                return false;
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        return hash.GetHashAndReset().AsSpan().SequenceEqual(trailer.AsSpan(0, 32));
    }

    /// <summary>Writes <paramref name="index"/> as the snapshot of <paramref name="generation"/>; the caller keeps writes out meanwhile.</summary>
    public void SaveSnapshot(LexicalIndex index, long generation)
    {
        try
        {
            var temporary = snapshotPath + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                index.Save(file, generation);
                file.Flush();
                file.Position = 0;
                var hash = System.Security.Cryptography.SHA256.HashData(file);
                file.Write(hash);
                file.Write(SealTag);
            }
            File.Move(temporary, snapshotPath, overwrite: true);
            Interlocked.Exchange(ref _savedGeneration, generation);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a faster next start is lost: the index rebuilds from the chunks.
        }
    }
}
