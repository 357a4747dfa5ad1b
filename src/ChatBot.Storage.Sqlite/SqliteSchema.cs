
namespace ChatBot.Storage.Sqlite;

/// <summary>The index file's layout. <c>PRAGMA application_id</c> marks the file as ours; <c>user_version</c> is its version.</summary>
internal static class SqliteSchema
{
    public const int ApplicationId = 0x43424F54; // "CBOT"
    public const int Version = 9;

    public const string Create = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE files (path TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT,
            published TEXT,
            url TEXT,
            path TEXT NOT NULL,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE chunks (
            rowid INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            article_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            embedding BLOB NOT NULL);
        CREATE INDEX chunks_by_article ON chunks (article_id, ordinal);
        """;

    /// <summary>Steps from one version to the next, applied in order at start-up; index = the version they produce.</summary>
    public static readonly IReadOnlyDictionary<int, string> Migrations = new Dictionary<int, string>
    {
        [2] = """
            CREATE TABLE digest_ledger (
                target TEXT NOT NULL,
                period TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL,
                next_attempt_at TEXT,
                PRIMARY KEY (target, period));
            """,
        [3] = """
            CREATE TABLE conversations (
                platform TEXT NOT NULL,
                chat TEXT NOT NULL,
                message_id TEXT NOT NULL,
                turns TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (platform, chat, message_id));
            CREATE INDEX conversations_by_age ON conversations (at);
            """,
        [4] = """
            CREATE TABLE feedback (
                platform TEXT NOT NULL,
                chat TEXT NOT NULL,
                message_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                vote INTEGER NOT NULL,
                question TEXT,
                answer TEXT,
                citations TEXT,
                at TEXT NOT NULL,
                PRIMARY KEY (platform, chat, message_id, user_id));
            """,
        // The newest articles (a decline lists five; dated questions) without sorting the whole table.
        [5] = """
            CREATE INDEX articles_newest ON articles (published IS NULL, published DESC, title, id);
            """,
        // Lexical search moved into memory (several analysers, fielded): the FTS5 tables are no longer read.
        [6] = """
            DROP TABLE IF EXISTS chunks_vocab;
            DROP TABLE IF EXISTS chunks_fts;
            """,
        // The adapters' durable inbox: updates kept from their arrival until their reply is sent.
        [7] = """
            CREATE TABLE inbox (
                platform TEXT NOT NULL,
                key TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                owner TEXT NOT NULL,
                received_at TEXT NOT NULL,
                done_at TEXT,
                PRIMARY KEY (platform, key));
            CREATE INDEX inbox_pending ON inbox (platform, received_at) WHERE done_at IS NULL;
            """,
        // What was asked and how it went, for the operator console (the text only when questions may be stored).
        [8] = """
            CREATE TABLE questions (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                platform TEXT NOT NULL,
                latency_ms REAL NOT NULL,
                declined INTEGER NOT NULL,
                question TEXT,
                cited TEXT NOT NULL);
            CREATE INDEX questions_by_time ON questions (at);
            """,
        // Poison updates: how often a start-up handed an item over, and why one was set aside for good.
        [9] = """
            ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE inbox ADD COLUMN parked_reason TEXT;
            """,
    };
}
