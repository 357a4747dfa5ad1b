namespace ChatBot.Storage.Postgres;

/// <summary>
/// The database layout, as numbered migrations applied in order at start-up (one transaction each, under an advisory
/// lock so that replicas starting together apply each step once). The database is the durable copy and the change
/// feed; search runs in each replica's memory (lexical postings and vectors), so no text-search index is kept here.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Advisory-lock keys ("CBOT" and a purpose), per database.</summary>
    public const long MigrationLock = 0x43424F54_00000001;
    public const long WriteLock = 0x43424F54_00000002;
    public const long LeaderLock = 0x43424F54_00000003;
    public const long SnapshotLock = 0x43424F54_00000004;

    /// <summary>The channel a committed index change is announced on.</summary>
    public const string Channel = "chatbot_index";

    /// <summary>How long the change log keeps an entry; a replica further behind reloads every vector.</summary>
    public static readonly TimeSpan LogRetention = TimeSpan.FromHours(1);

    /// <summary>Steps from one version to the next; index = the version they produce.</summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        "", // version 0: nothing
        $$"""
        CREATE FUNCTION chatbot_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT replace(replace(replace(replace(translate(value, '{{Folding.From}}', '{{Folding.To}}'),
                'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')
        $$;
        CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE files (path text PRIMARY KEY, fingerprint text NOT NULL);
        CREATE TABLE articles (
            id text PRIMARY KEY,
            title text NOT NULL,
            source text,
            published date,
            url text,
            path text NOT NULL,
            text text NOT NULL,
            content_hash text NOT NULL,
            ingested_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL);
        CREATE INDEX articles_newest ON articles (published DESC NULLS LAST, title, id);
        CREATE TABLE chunks (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key text NOT NULL UNIQUE,
            article_id text NOT NULL,
            ordinal integer NOT NULL,
            start_offset integer NOT NULL,
            end_offset integer NOT NULL,
            title text NOT NULL,
            text text NOT NULL,
            terms text[] NOT NULL,
            term_count integer NOT NULL,
            embedding real[] NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('french'::regconfig, chatbot_fold(title || ' ' || text))) STORED);
        CREATE INDEX chunks_by_article ON chunks (article_id, ordinal);
        CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
        CREATE INDEX chunks_terms ON chunks USING gin (terms);
        CREATE TABLE corpus_stats (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            chunks bigint NOT NULL,
            terms bigint NOT NULL);
        INSERT INTO corpus_stats (chunks, terms) VALUES (0, 0);
        CREATE TABLE chunk_log (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            chunk_id bigint NOT NULL,
            at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE digest_ledger (
            target text NOT NULL,
            period timestamptz NOT NULL,
            state text NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL,
            next_attempt_at timestamptz,
            PRIMARY KEY (target, period));
        CREATE TABLE conversations (
            platform text NOT NULL,
            chat text NOT NULL,
            message_id text NOT NULL,
            turns jsonb NOT NULL,
            at timestamptz NOT NULL,
            PRIMARY KEY (platform, chat, message_id));
        CREATE INDEX conversations_by_age ON conversations (at);
        CREATE TABLE feedback (
            platform text NOT NULL,
            chat text NOT NULL,
            message_id text NOT NULL,
            user_id text NOT NULL,
            vote integer NOT NULL,
            question text,
            answer text,
            citations jsonb NOT NULL,
            at timestamptz NOT NULL,
            PRIMARY KEY (platform, chat, message_id, user_id));
        """,
        // Lexical search moved into each replica's memory (several analysers, fielded BM25), fed by the change log:
        // the tsvector, the analyser terms and the corpus statistics are no longer read, and cost every write.
        """
        DROP INDEX IF EXISTS chunks_tsv;
        DROP INDEX IF EXISTS chunks_terms;
        ALTER TABLE chunks DROP COLUMN IF EXISTS tsv, DROP COLUMN IF EXISTS terms, DROP COLUMN IF EXISTS term_count;
        DROP TABLE IF EXISTS corpus_stats;
        DROP FUNCTION IF EXISTS chatbot_fold(text);
        """,
        // The adapters' durable inbox: updates kept from their arrival until their reply is sent, owned by the
        // replica that received them.
        """
        CREATE TABLE inbox (
            platform text NOT NULL,
            key text NOT NULL,
            kind text NOT NULL,
            payload text NOT NULL,
            owner text NOT NULL,
            received_at timestamptz NOT NULL,
            claimed_at timestamptz,
            done_at timestamptz,
            PRIMARY KEY (platform, key));
        CREATE INDEX inbox_pending ON inbox (platform, received_at) WHERE done_at IS NULL;
        """,
        // What was asked and how it went, for the operator console (the text only when questions may be stored).
        """
        CREATE TABLE questions (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            platform text NOT NULL,
            latency_ms double precision NOT NULL,
            declined boolean NOT NULL,
            question text,
            cited text[] NOT NULL);
        CREATE INDEX questions_by_time ON questions (at);
        """,
        // Poison updates: how often a start-up handed an item over, and why one was set aside for good.
        """
        ALTER TABLE inbox ADD COLUMN attempts integer NOT NULL DEFAULT 0, ADD COLUMN parked_reason text;
        """,
        // The lexical snapshot: a replica's in-memory postings at a change-log position, so that the next replica to
        // start reads them instead of analysing every chunk. In parts (a bytea holds at most 1 GB), sealed by a SHA-256.
        """
        CREATE TABLE lexical_snapshot (
            id integer PRIMARY KEY CHECK (id = 1),
            position bigint NOT NULL,
            format integer NOT NULL,
            bytes bigint NOT NULL,
            sha256 bytea NOT NULL,
            written_by text NOT NULL,
            written_at timestamptz NOT NULL);
        CREATE TABLE lexical_snapshot_parts (part integer PRIMARY KEY, data bytea NOT NULL);
        """,
    ];

    public static int Version => Migrations.Count - 1;

    /// <summary>Accent folding as the analyser does it, in SQL (translate is immutable, so the tsvector can be generated).</summary>
    internal static class Folding
    {
        private static readonly (string From, string To)[] Pairs =
        [
            ("ÀÁÂÃÄÅ", "AAAAAA"), ("àáâãäå", "aaaaaa"), ("Çç", "Cc"), ("ÈÉÊË", "EEEE"), ("èéêë", "eeee"),
            ("ÌÍÎÏ", "IIII"), ("ìíîï", "iiii"), ("Ññ", "Nn"), ("ÒÓÔÕÖ", "OOOOO"), ("òóôõö", "ooooo"),
            ("ÙÚÛÜ", "UUUU"), ("ùúûü", "uuuu"), ("Ýýÿ", "Yyy"), ("’‘", "''"),
        ];

        public static string From => string.Concat(Pairs.Select(p => p.From)).Replace("'", "''", StringComparison.Ordinal);

        public static string To => string.Concat(Pairs.Select(p => p.To)).Replace("'", "''", StringComparison.Ordinal);
    }
}
