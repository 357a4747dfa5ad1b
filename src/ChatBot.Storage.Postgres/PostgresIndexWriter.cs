using ChatBot.Core.Ingestion;
using Npgsql;
using NpgsqlTypes;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The statements of one write transaction (which already holds the write lock): articles, chunks, files, and the
/// change log the replicas follow. <see cref="CompleteAsync"/> writes the log and the notification; both take effect
/// on commit only.
/// </summary>
internal sealed class PostgresIndexWriter(NpgsqlConnection connection)
{
    private readonly List<long> _touched = [];

    /// <summary>Whether this transaction added, changed or removed any chunk.</summary>
    public bool TouchedAny => _touched.Count > 0;

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

    /// <summary>
    /// A whole batch of changes in one round trip: the old chunks of every changed or deleted article, the deleted
    /// articles, the upserted articles, their new chunks and the file fingerprints, in that order (one statement each
    /// in an <see cref="NpgsqlBatch"/>; a round trip per article was most of an ingest's time).
    /// </summary>
    public async Task ApplyAsync(IndexChanges changes, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var replaced = changes.DeletedArticleIds.Concat(changes.Updates.Select(u => u.Article.Id)).Distinct(StringComparer.Ordinal).ToArray();
        if (replaced.Length > 0)
        {
            var deleteChunks = new NpgsqlBatchCommand("DELETE FROM chunks WHERE article_id = ANY($1) RETURNING id");
            deleteChunks.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = replaced });
            batch.BatchCommands.Add(deleteChunks);
        }
        if (changes.DeletedArticleIds.Count > 0)
        {
            var deleteArticles = new NpgsqlBatchCommand("DELETE FROM articles WHERE id = ANY($1)");
            deleteArticles.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. changes.DeletedArticleIds] });
            batch.BatchCommands.Add(deleteArticles);
        }
        foreach (var update in changes.Updates)
        {
            var article = update.Article;
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO articles (id, title, source, published, url, path, text, content_hash, ingested_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source, published = excluded.published,
                    url = excluded.url, path = excluded.path, text = excluded.text, content_hash = excluded.content_hash,
                    updated_at = excluded.updated_at
                """);
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = article.Id });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = article.Title });
            upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)article.Source ?? DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Date, Value = article.Published is { } published ? published : DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)article.Url ?? DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = article.Path });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = article.Text });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = article.ContentHash });
            upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = (now ?? article.IngestedAt).ToUniversalTime() });
            upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = (now ?? article.UpdatedAt).ToUniversalTime() });
            batch.BatchCommands.Add(upsert);
            foreach (var chunk in update.Chunks)
                batch.BatchCommands.Add(InsertChunk(chunk));
        }
        foreach (var (path, fingerprint) in changes.Files)
        {
            var file = fingerprint is null
                ? new NpgsqlBatchCommand("DELETE FROM files WHERE path = $1")
                : new NpgsqlBatchCommand("INSERT INTO files (path, fingerprint) VALUES ($1, $2) ON CONFLICT (path) DO UPDATE SET fingerprint = excluded.fingerprint");
            file.Parameters.Add(new NpgsqlParameter<string> { TypedValue = path });
            if (fingerprint is not null)
                file.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fingerprint });
            batch.BatchCommands.Add(file);
        }
        if (batch.BatchCommands.Count == 0)
            return;
        // Only the DELETE … RETURNING and INSERT … RETURNING statements return rows: the ids of the chunks touched.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
                _touched.Add(reader.GetInt64(0));
        }
        while (await reader.NextResultAsync(cancellationToken));
    }

    private static NpgsqlBatchCommand InsertChunk(ChunkRecord chunk)
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
        return command;
    }

    /// <summary>Inserts the chunks in one round trip.</summary>
    public async Task InsertChunksAsync(IReadOnlyList<ChunkRecord> chunks, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0)
            return;
        await using var batch = new NpgsqlBatch(connection);
        foreach (var chunk in chunks)
            batch.BatchCommands.Add(InsertChunk(chunk));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
                _touched.Add(reader.GetInt64(0));
        }
        while (await reader.NextResultAsync(cancellationToken));
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
