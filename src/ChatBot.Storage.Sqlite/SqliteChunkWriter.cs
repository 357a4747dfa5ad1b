using System.Runtime.InteropServices;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using Microsoft.Data.Sqlite;

namespace ChatBot.Storage.Sqlite;

/// <summary>The statements of one write transaction: chunks, articles, file fingerprints.</summary>
internal sealed class SqliteChunkWriter(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        if (_insertChunk is not null)
            await _insertChunk.DisposeAsync();
    }

    public async Task<List<long>> DeleteArticleChunksAsync(string articleId, CancellationToken cancellationToken)
    {
        var rowIds = new List<long>();
        await using (var select = Command("SELECT rowid FROM chunks WHERE article_id = $id"))
        {
            select.Parameters.AddWithValue("$id", articleId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rowIds.Add(reader.GetInt64(0));
        }
        foreach (var rowId in rowIds)
            await DeleteChunkRowAsync(rowId, cancellationToken);
        return rowIds;
    }

    public async Task DeleteChunkRowAsync(long rowId, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM chunks WHERE rowid = $r");
        command.Parameters.AddWithValue("$r", rowId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long?> FindChunkAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT rowid FROM chunks WHERE key = $k");
        command.Parameters.AddWithValue("$k", key);
        return await command.ExecuteScalarAsync(cancellationToken) is long rowId ? rowId : null;
    }

    public async Task DeleteArticleAsync(string articleId, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM articles WHERE id = $id");
        command.Parameters.AddWithValue("$id", articleId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts or updates an article; with <paramref name="now"/> null its own timestamps are kept (a copy between stores).</summary>
    public async Task UpsertArticleAsync(Article article, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        // ingested_at is kept from the first time the article was seen: the digest announces new articles, not edits.
        await using var command = Command("""
            INSERT INTO articles (id, title, source, published, url, path, text, content_hash, ingested_at, updated_at)
            VALUES ($id, $title, $source, $published, $url, $path, $text, $hash, $ingested, $updated)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source, published = excluded.published,
                url = excluded.url, path = excluded.path, text = excluded.text, content_hash = excluded.content_hash,
                updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("$id", article.Id);
        command.Parameters.AddWithValue("$title", article.Title);
        command.Parameters.AddWithValue("$source", (object?)article.Source ?? DBNull.Value);
        command.Parameters.AddWithValue("$published", SqliteValues.Date(article.Published));
        command.Parameters.AddWithValue("$url", (object?)article.Url ?? DBNull.Value);
        command.Parameters.AddWithValue("$path", article.Path);
        command.Parameters.AddWithValue("$text", article.Text);
        command.Parameters.AddWithValue("$hash", article.ContentHash);
        command.Parameters.AddWithValue("$ingested", SqliteValues.Instant(now ?? article.IngestedAt));
        command.Parameters.AddWithValue("$updated", SqliteValues.Instant(now ?? article.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private SqliteCommand? _insertChunk;

    /// <summary>Inserts a chunk; returns its row id.</summary>
    public async Task<long> InsertChunkAsync(ChunkRecord chunk, CancellationToken cancellationToken)
    {
        // Prepared once per transaction: a large ingest inserts hundreds of thousands of rows.
        _insertChunk ??= Prepared("""
            INSERT INTO chunks (key, article_id, ordinal, start_offset, end_offset, title, text, embedding)
            VALUES ($key, $article, $ordinal, $start, $end, $title, $text, $embedding) RETURNING rowid
            """, "$key", "$article", "$ordinal", "$start", "$end", "$title", "$text", "$embedding");
        var p = _insertChunk.Parameters;
        p["$key"].Value = chunk.Key;
        p["$article"].Value = chunk.ArticleId;
        p["$ordinal"].Value = chunk.Ordinal;
        p["$start"].Value = chunk.Start;
        p["$end"].Value = chunk.End;
        p["$title"].Value = chunk.Title;
        p["$text"].Value = chunk.Text;
        p["$embedding"].Value = MemoryMarshal.AsBytes(chunk.Embedding.Span).ToArray();
        return (long)(await _insertChunk.ExecuteScalarAsync(cancellationToken))!;
    }

    private SqliteCommand Prepared(string sql, params string[] parameters)
    {
        var command = Command(sql);
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    public async Task SetFileAsync(string path, string? fingerprint, CancellationToken cancellationToken)
    {
        await using var command = fingerprint is null
            ? Command("DELETE FROM files WHERE path = $p")
            : Command("INSERT INTO files (path, fingerprint) VALUES ($p, $f) ON CONFLICT (path) DO UPDATE SET fingerprint = excluded.fingerprint");
        command.Parameters.AddWithValue("$p", path);
        if (fingerprint is not null)
            command.Parameters.AddWithValue("$f", fingerprint);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
