using ChatBot.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ChatBot.Postgres;

/// <summary>
/// The statements of one write transaction (which already holds the write lock): articles, chunks, files, and the
/// change log the replicas follow. <see cref="CompleteAsync"/> writes the log and the notification; both take effect
/// on commit only.
/// </summary>
internal sealed class PostgresIndexWriter(NpgsqlConnection connection)
{
    private readonly List<long> _touched = [];

    public async Task<string?> GetMetaAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT value FROM meta WHERE key = @k", connection);
        command.Parameters.AddWithValue("k", key);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task SetMetaAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("INSERT INTO meta (key, value) VALUES (@k, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection);
        command.Parameters.AddWithValue("k", key);
        command.Parameters.AddWithValue("v", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DropAllChunksAsync(CancellationToken cancellationToken)
    {
        await using (var command = new NpgsqlCommand("DELETE FROM chunks RETURNING id", connection))
            await ReadRemovedAsync(command, cancellationToken);
        await PostgresIndexStore.ExecuteAsync(connection, "DELETE FROM files; UPDATE articles SET content_hash = '';", cancellationToken);
    }

    public async Task DeleteArticleChunksAsync(string articleId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM chunks WHERE article_id = @id RETURNING id", connection);
        command.Parameters.AddWithValue("id", articleId);
        await ReadRemovedAsync(command, cancellationToken);
    }

    /// <summary>Deletes the chunk with this key; false when there is none.</summary>
    public async Task<bool> DeleteChunkAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM chunks WHERE key = @k RETURNING id", connection);
        command.Parameters.AddWithValue("k", key);
        return await ReadRemovedAsync(command, cancellationToken) > 0;
    }

    private async Task<int> ReadRemovedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var count = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _touched.Add(reader.GetInt64(0));
            count++;
        }
        return count;
    }

    public async Task DeleteArticleAsync(string articleId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM articles WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", articleId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts or updates an article; with <paramref name="now"/> null its own timestamps are kept (a copy between stores).</summary>
    public async Task UpsertArticleAsync(ArticleRecord article, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        // ingested_at is kept from the first time the article was seen: the digest announces new articles, not edits.
        await using var command = new NpgsqlCommand("""
            INSERT INTO articles (id, title, source, published, url, path, text, content_hash, ingested_at, updated_at)
            VALUES (@id, @title, @source, @published, @url, @path, @text, @hash, @ingested, @updated)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source, published = excluded.published,
                url = excluded.url, path = excluded.path, text = excluded.text, content_hash = excluded.content_hash,
                updated_at = excluded.updated_at
            """, connection);
        command.Parameters.AddWithValue("id", article.Id);
        command.Parameters.AddWithValue("title", article.Title);
        command.Parameters.AddWithValue("source", NpgsqlDbType.Text, (object?)article.Source ?? DBNull.Value);
        command.Parameters.AddWithValue("published", NpgsqlDbType.Date, article.Published is { } published ? published : DBNull.Value);
        command.Parameters.AddWithValue("url", NpgsqlDbType.Text, (object?)article.Url ?? DBNull.Value);
        command.Parameters.AddWithValue("path", article.Path);
        command.Parameters.AddWithValue("text", article.Text);
        command.Parameters.AddWithValue("hash", article.ContentHash);
        command.Parameters.AddWithValue("ingested", (now ?? article.IngestedAt).ToUniversalTime());
        command.Parameters.AddWithValue("updated", (now ?? article.UpdatedAt).ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts the chunks in one round trip.</summary>
    public async Task InsertChunksAsync(IReadOnlyList<ChunkRecord> chunks, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0)
            return;
        await using var batch = new NpgsqlBatch(connection);
        foreach (var chunk in chunks)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO chunks (key, article_id, ordinal, start_offset, end_offset, title, text, embedding)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.Key });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.ArticleId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = chunk.Ordinal });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = chunk.Start });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = chunk.End });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.Title });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunk.Text });
            command.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = chunk.Embedding.ToArray() });
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
                _touched.Add(reader.GetInt64(0));
        }
        while (await reader.NextResultAsync(cancellationToken));
    }

    public async Task SetFileAsync(string path, string? fingerprint, CancellationToken cancellationToken)
    {
        await using var command = fingerprint is null
            ? new NpgsqlCommand("DELETE FROM files WHERE path = @p", connection)
            : new NpgsqlCommand("INSERT INTO files (path, fingerprint) VALUES (@p, @f) ON CONFLICT (path) DO UPDATE SET fingerprint = excluded.fingerprint", connection);
        command.Parameters.AddWithValue("p", path);
        if (fingerprint is not null)
            command.Parameters.AddWithValue("f", fingerprint);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Logs the touched chunks, trims the old log and announces the change.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_touched.Count == 0)
            return;
        await using var command = new NpgsqlCommand($"""
            INSERT INTO chunk_log (chunk_id) SELECT unnest(@ids);
            WITH trimmed AS (DELETE FROM chunk_log WHERE at < now() - @retention RETURNING seq)
            INSERT INTO meta (key, value) SELECT 'log_floor', max(seq)::text FROM trimmed HAVING count(*) > 0
                ON CONFLICT (key) DO UPDATE SET value = excluded.value;
            SELECT pg_notify('{PostgresSchema.Channel}', '');
            """, connection);
        command.Parameters.AddWithValue("ids", _touched.ToArray());
        command.Parameters.AddWithValue("retention", PostgresSchema.LogRetention);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
