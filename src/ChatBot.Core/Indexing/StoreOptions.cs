using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Indexing;

public sealed class StoreOptions : IValidatableObject
{
    public const string SectionName = "ChatBot:Store";

    /// <summary><c>Sqlite</c> (the embedded default: one file) or <c>Postgres</c> (several replicas on one database).</summary>
    [Required]
    [RegularExpression("^(?i:sqlite|postgres)$", ErrorMessage = "ChatBot:Store:Provider must be 'Sqlite' or 'Postgres'.")]
    public string Provider { get; set; } = "Sqlite";

    public bool UsesPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The SQLite index file, relative to the content root.</summary>
    [Required]
    public string Path { get; set; } = "data/chatbot.db";

    /// <summary>
    /// SQLite: hold the file for this process alone while it runs (an OS lock on <c>&lt;file&gt;.lock</c>); a second
    /// process on the same file refuses to start. <c>run</c> sets it: two serving processes would answer every question
    /// twice. One-shot commands (<c>ask</c>, <c>index</c>) read beside a running bot.
    /// </summary>
    public bool Exclusive { get; set; }

    /// <summary>The PostgreSQL connection string (Npgsql keywords), when the provider is <c>Postgres</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How often a replica that does not lead tries to take the lead (PostgreSQL).</summary>
    [Range(0.1, 300)]
    public double LeaderRetrySeconds { get; set; } = 2;

    /// <summary>How often a replica checks for index changes when no notification came (PostgreSQL).</summary>
    [Range(0.1, 300)]
    public double SyncPollSeconds { get; set; } = 5;

    /// <summary>
    /// PostgreSQL: the most memory, in MB, a replica may spend holding every chunk's record (title and text, no vector)
    /// so that an answer reads its candidates and their neighbouring chunks without a round trip. 0 (the default): they
    /// are read from the database for each answer. When the chunks do not fit (estimated from the database before any
    /// is read, and again as they grow), the replica reads them per answer and says so once.
    /// </summary>
    [Range(0, 1_000_000)]
    public double HeldChunksMegabytes { get; set; }

    /// <summary>This replica's name in the database (leader record, connection application name); empty: host and process id.</summary>
    public string ReplicaName { get; set; } = "";

    /// <summary><see cref="ReplicaName"/>, or host and process id when none is set.</summary>
    public string EffectiveReplicaName =>
        string.IsNullOrWhiteSpace(ReplicaName) ? $"{Environment.MachineName}:{Environment.ProcessId}" : ReplicaName;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult(
                "ChatBot:Store:ConnectionString is required when ChatBot:Store:Provider is 'Postgres' (for example 'Host=127.0.0.1;Database=chatbot;Username=chatbot').",
                [nameof(ConnectionString)]);
    }
}
