using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Retrieval.Understanding;
using ChatBot.Evaluation;
using ChatBot.Hosting;
using ChatBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Benchmarks;

/// <summary>
/// The whole pipeline on the embedded default, one table: ingest throughput (PIAF, and synthetic corpora of 1k, 10k and
/// 100k chunks built from PIAF's sentences with a fixed seed), start-up to ready on the existing index, answer latency
/// (p50/p95/p99), peak RSS, the vector scan's bandwidth, and SQLite FTS5 <c>bm25()</c> alone on the same questions as
/// the peer baseline. Each phase runs in a child process of its own, so that its start-up time and peak RSS are its own.
/// With <c>CHATBOT_BENCH_POSTGRES</c> set (an Npgsql connection string to a server where the user may create
/// databases), every corpus is measured a second time on the PostgreSQL store, in a database of its own dropped after.
/// </summary>
internal static class Pipeline
{
    private static readonly string Fixtures = "eval";

    public static async Task<int> RunAsync(string[] args)
    {
        var queries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var scales = args.Length > 1 ? args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [1_000, 10_000, 100_000];
        var work = Path.Combine(Path.GetTempPath(), "chatbot-pipeline-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        try
        {
            var piaf = Path.GetFullPath(Path.Combine(Fixtures, "piaf-corpus.jsonl"));
            var questions = Path.GetFullPath(Path.Combine(Fixtures, "piaf-dev-questions.json"));
            var corpora = new List<(string Name, string Path)> { ("PIAF (1,518 paragraphs)", piaf) };
            foreach (var chunks in scales)
                corpora.Add(($"synthetic {chunks / 1000}k chunks", Synthesize(piaf, chunks, Path.Combine(work, $"synthetic-{chunks}.jsonl"))));

            var postgres = Environment.GetEnvironmentVariable("CHATBOT_BENCH_POSTGRES");
            var stores = string.IsNullOrEmpty(postgres) ? new[] { "sqlite" } : ["sqlite", "postgres"];
            Console.WriteLine($"Hashing embedder, extractive answers, Release, {Environment.ProcessorCount} cores, {queries} PIAF dev questions per corpus; stores: {string.Join(", ", stores)}.");
            Console.WriteLine();
            Console.WriteLine("| corpus | store | articles | chunks | ingest articles/s | ingest chunks/s | ingest peak RSS | start-up to ready | answer p50 / p95 / p99 | of which retrieval p50 / p99 | FTS5 bm25() alone p50 / p95 / p99 | query peak RSS | vector scan |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var (name, path) in corpora)
            {
                foreach (var store in stores)
                {
                    var folder = Path.Combine(work, Path.GetFileNameWithoutExtension(path) + "-" + store);
                    Directory.CreateDirectory(folder);
                    var database = $"chatbot_bench_{Environment.ProcessId}_{Path.GetFileNameWithoutExtension(path).Replace('-', '_')}";
                    var connection = store == "postgres" ? await CreateDatabaseAsync(postgres!, database) : null;
                    File.WriteAllText(Path.Combine(folder, "appsettings.json"), connection is null ? "{}"
                        : JsonSerializer.Serialize(new { ChatBot = new { Store = new { Provider = "Postgres", ConnectionString = connection, HeldChunksMegabytes = HeldChunksMegabytes() } } }));
                    try
                    {
                        var ingest = await ChildAsync<IngestFigures>("pipeline-ingest", folder, path, questions, queries);
                        var query = await ChildAsync<QueryFigures>("pipeline-query", folder, path, questions, queries);
                        var baseline = query.BaselineP50 > 0 ? string.Create(CultureInfo.InvariantCulture, $"{query.BaselineP50:0.0} / {query.BaselineP95:0.0} / {query.BaselineP99:0.0} ms") : "–";
                        var scan = query.ScanMs > 0 ? string.Create(CultureInfo.InvariantCulture, $"{query.ScanMs:0.00} ms, {query.ScanGBps:0.0} GB/s") : "–";
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {name} | {store} | {ingest.Articles:N0} | {ingest.Chunks:N0} | {ingest.Articles / ingest.Seconds:N0} | {ingest.Chunks / ingest.Seconds:N0} | {ingest.PeakRssMb:0} MB | {query.StartupSeconds:0.00} s | {query.P50:0.0} / {query.P95:0.0} / {query.P99:0.0} ms | {query.RetrievalP50:0.0} / {query.RetrievalP99:0.0} ms | {baseline} | {query.PeakRssMb:0} MB | {scan} |"));
                    }
                    finally
                    {
                        if (connection is not null)
                            await DropDatabaseAsync(postgres!, database);
                    }
                }
            }
            return 0;
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("CHATBOT_PIPELINE_KEEP") == "1")
                Console.Error.WriteLine($"kept {work}");
            else
                Directory.Delete(work, recursive: true);
        }
    }

    /// <summary><c>CHATBOT_BENCH_HELD_MB</c>: the PostgreSQL replicas' <c>ChatBot:Store:HeldChunksMegabytes</c> (0, the default: none held).</summary>
    private static double HeldChunksMegabytes() =>
        double.TryParse(Environment.GetEnvironmentVariable("CHATBOT_BENCH_HELD_MB"), NumberStyles.Float, CultureInfo.InvariantCulture, out var megabytes) ? megabytes : 0;

    private static async Task<string> CreateDatabaseAsync(string server, string database)
    {
        await DropDatabaseAsync(server, database);
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", connection);
        await command.ExecuteNonQueryAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    private static async Task DropDatabaseAsync(string server, string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record IngestFigures(int Articles, int Chunks, double Seconds, double PeakRssMb);

    private sealed record QueryFigures(double StartupSeconds, double P50, double P95, double P99, double RetrievalP50, double RetrievalP99, double BaselineP50, double BaselineP95, double BaselineP99, double PeakRssMb, double ScanMs, double ScanGBps);

    private static async Task<T> ChildAsync<T>(string verb, string folder, string corpus, string questions, int queries)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, [verb, folder, corpus, questions, queries.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{verb} failed with exit code {process.ExitCode}");
        return JsonSerializer.Deserialize<T>(output.Trim().Split('\n')[^1])!;
    }

    /// <summary>Articles of 3 to 6 PIAF sentences drawn with a fixed seed, until about <paramref name="chunks"/> chunks.</summary>
    private static string Synthesize(string piaf, int chunks, string path)
    {
        var sentences = new List<string>();
        var titles = new List<string>();
        foreach (var line in File.ReadLines(piaf))
        {
            using var json = JsonDocument.Parse(line);
            var text = json.RootElement.GetProperty("text").GetString()!;
            titles.Add(json.RootElement.GetProperty("title").GetString()!);
            sentences.AddRange(SentenceSplitter.Split(text).Select(s => s.Of(text)).Where(s => s.Length > 40));
        }
        var random = new Random(20261122);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        var characters = 0L;
        for (var i = 0; characters < chunks * 580L; i++)
        {
            var body = new StringBuilder();
            var count = random.Next(3, 7);
            for (var s = 0; s < count; s++)
                body.Append(sentences[random.Next(sentences.Count)]).Append(' ');
            characters += body.Length;
            var published = new DateOnly(2015, 1, 1).AddDays(random.Next(3650));
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                id = $"synthetic-{i}",
                title = $"{titles[random.Next(titles.Count)]} ({i})",
                text = body.ToString().Trim(),
                published = published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }));
        }
        return path;
    }

    private static IHost Host(string folder, string corpus) => Opened(Builder(folder, corpus).Build());

    /// <summary>What the host's start-up does first (the children use services without starting the host).</summary>
    internal static IHost Opened(IHost host)
    {
        host.Services.GetRequiredService<IndexOpener>().OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return host;
    }

    private static HostApplicationBuilder Builder(string folder, string corpus) =>
        BotHost.CreateBuilder(folder, new Dictionary<string, string?>
        {
            ["ChatBot:Corpus:Path"] = corpus,
            ["ChatBot:Store:Path"] = Path.Combine(folder, "index.db"),
            ["ChatBot:Corpus:MaxFileBytes"] = "1000000000", // the synthetic corpus is one large .jsonl file
        }, LogLevel.Warning);

    private static double PeakRssMb()
    {
        // VmHWM: the resident set's high-water mark, as the kernel keeps it.
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0
            : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Child: a fresh index of the corpus, and the FTS5 baseline table over the same chunk texts.</summary>
    public static async Task<int> IngestAsync(string[] args)
    {
        var (folder, corpus) = (args[0], args[1]);
        using (var host = Host(folder, corpus))
        {
            var clock = Stopwatch.StartNew();
            var report = await host.Services.GetRequiredService<CorpusIngester>().SyncAsync(null, CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            var peak = PeakRssMb();
            var gc = GC.GetGCMemoryInfo(GCKind.Any);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ingest GC: heap {gc.HeapSizeBytes / 1048576} MB, fragmented {gc.FragmentedBytes / 1048576} MB, committed {gc.TotalCommittedBytes / 1048576} MB, gen2 collections {GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms"));
            PrintFootprint(host.Services.GetRequiredService<IIndexStore>(), peak);
            if (host.Services.GetRequiredService<IIndexStore>() is SqliteIndexStore)
                BuildBaseline(folder);
            Console.WriteLine(JsonSerializer.Serialize(new IngestFigures(report.Added, report.Chunks, seconds, peak)));
            await host.Services.GetRequiredService<IIndexStore>().DisposeAsync();
        }
        return 0;
    }

    /// <summary>Where the memory goes, counted from the index's structures themselves, beside the GC heap and the process's RSS.</summary>
    private static void PrintFootprint(IIndexStore store, double peakMb)
    {
        IReadOnlyList<MemoryPart> parts = store switch
        {
            SqliteIndexStore sqlite => sqlite.Footprint(),
            ChatBot.Storage.Postgres.PostgresIndexStore postgres => postgres.Footprint(),
            _ => [],
        };
        GC.Collect();
        var heap = GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0;
        var rss = Process.GetCurrentProcess().WorkingSet64 / 1048576.0;
        var each = string.Join(", ", parts.Where(p => p.Bytes > 0).OrderByDescending(p => p.Bytes)
            .Select(p => p.Structure + " " + (p.Bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  memory (MB): index structures {parts.Sum(p => p.Bytes) / 1048576.0:0.0}, GC heap {heap:0.0}, RSS {rss:0.0}, peak RSS {peakMb:0}: ") + each);
    }

    /// <summary>The word lists the questions are read with (loaded by the questions): the same for every corpus.</summary>
    private static void PrintLexicons()
    {
        IReadOnlyList<MemoryPart> parts = [.. FrenchSynonyms.Default.Footprint(), .. FrenchParaphrases.Default.Footprint(), .. EnglishLexicon.Default.Footprint()];
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  memory (MB): word lists {parts.Sum(p => p.Bytes) / 1048576.0:0.0}: ")
            + string.Join(", ", parts.OrderByDescending(p => p.Bytes).Select(p => p.Structure + " " + (p.Bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture))));
    }

    private static void BuildBaseline(string folder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "index.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            ATTACH DATABASE '{Path.Combine(folder, "baseline.db")}' AS baseline;
            CREATE VIRTUAL TABLE baseline.fts USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');
            INSERT INTO baseline.fts (rowid, text) SELECT rowid, title || ' ' || text FROM chunks;
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Child: start-up to ready on the existing index, then answer latency, then the baseline's.</summary>
    public static async Task<int> QueryAsync(string[] args)
    {
        var (folder, corpus, questionsPath, count) = (args[0], args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        var all = EvalQuestion.Parse(File.ReadAllText(questionsPath)).Select(q => q.Question).ToList();
        var questions = all.Take(count).ToList();
        // Warm-up questions, none of them measured: the JIT's tiers and the caches settle as on a server that has run a while.
        var warmUp = all.Skip(count).Take(100).ToList();
        var sinceStart = () => (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        var inMain = sinceStart();
        var built = Builder(folder, corpus).Build();
        var hostBuilt = sinceStart();
        using var host = Opened(built);
        var opened = sinceStart();
        var answerer = host.Services.GetRequiredService<QuestionAnswerer>();
        await answerer.AnswerAsync(new ChatRequest(questions[0]), CancellationToken.None);
        var startup = sinceStart();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  start-up (s since the process started): in Main {inMain:0.00}, host built {hostBuilt:0.00}, index open {opened:0.00}, first answer {startup:0.00}"));
        foreach (var question in warmUp)
            await answerer.AnswerAsync(new ChatRequest(question), CancellationToken.None);
        if (host.Services.GetRequiredService<IIndexStore>() is ChatBot.Storage.Postgres.PostgresIndexStore held)
        {
            await held.Holding; // the records, when a budget is set, are read in the background: measured once held
            Console.Error.WriteLine($"  chunk records held in memory: {(held.HoldsChunks ? "yes" : "no")}");
        }

        var times = new List<double>();
        var retrieval = new List<double>();
        var slowest = new List<(double Ms, string Question)>();
        var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var pauses = new GcPauses();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        foreach (var question in questions)
        {
            var clock = Stopwatch.StartNew();
            var reply = await answerer.AnswerAsync(new ChatRequest(question), CancellationToken.None);
            times.Add(clock.Elapsed.TotalMilliseconds);
            pauses.Look();
            retrieval.Add(reply.Timings.RetrievalMs);
            slowest.Add((clock.Elapsed.TotalMilliseconds, question));
        }
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        retrieval.Sort();
        // Where retrieval spends its time: each stage's median and 99th percentile over the same questions.
        var retriever = host.Services.GetRequiredService<ChatBot.Core.Retrieval.Retriever>();
        var stages = new Dictionary<string, List<double>>();
        foreach (var question in questions)
        {
            var result = await retriever.RetrieveAsync(question, null, CancellationToken.None);
            foreach (var (stage, ms) in result.StageTimings)
            {
                if (!stages.TryGetValue(stage, out var list))
                    stages[stage] = list = [];
                list.Add(ms);
            }
        }
        Console.Error.WriteLine("  stages p50 / p99: " + string.Join(", ", stages.Select(kv =>
        {
            kv.Value.Sort();
            return string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {P(kv.Value, 0.5):0.00} / {P(kv.Value, 0.99):0.00} ms");
        })));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  GC during the questions: gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}, paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0} ms; heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576} MB; allocated {allocated / 1048576.0 / questions.Count:0.0} MB a question; {pauses}"));
        var peak = PeakRssMb();
        PrintFootprint(host.Services.GetRequiredService<IIndexStore>(), peak);
        PrintLexicons();
        HoldForInspection();

        var store = host.Services.GetRequiredService<IIndexStore>();
        var (scanMs, gbps, baseline) = (0.0, 0.0, new List<double> { 0 });
        if (store is SqliteIndexStore sqlite)
        {
            await sqlite.EnsureVectorsAsync(CancellationToken.None); // not loaded for answers: the hashing embedder's vectors weigh nothing
            (scanMs, gbps) = MeasureScan(sqlite.Vectors);
            if (Environment.GetEnvironmentVariable("CHATBOT_BENCH_NO_BASELINE") != "1") // the FTS5 comparison: ~2 min at 1M chunks
                baseline = Baseline(folder, questions);
        }
        times.Sort();
        baseline.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new QueryFigures(startup,
            P(times, 0.5), P(times, 0.95), P(times, 0.99), P(retrieval, 0.5), P(retrieval, 0.99), P(baseline, 0.5), P(baseline, 0.95), P(baseline, 0.99), peak, scanMs, gbps)));

        // Where the tail comes from: the slowest questions again, with the time each store call took, on stderr.
        foreach (var (ms, question) in slowest.OrderByDescending(s => s.Ms).Take(5))
        {
            var probe = ProbeHost(folder, corpus, out var timings);
            var probeAnswerer = probe.Services.GetRequiredService<QuestionAnswerer>();
            await probeAnswerer.AnswerAsync(new ChatRequest(question), CancellationToken.None); // caches filled, as in the run
            timings.Totals.Clear();
            var clock = Stopwatch.StartNew();
            await probeAnswerer.AnswerAsync(new ChatRequest(question), CancellationToken.None);
            var calls = string.Join(", ", timings.Totals.ToArray().OrderByDescending(t => t.Value.Ms).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.Ms:0.0} ms x{t.Value.Calls}")));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slow: {ms:0.0} ms in the run, {clock.Elapsed.TotalMilliseconds:0.0} ms again: {question}\n    store: {calls}"));
            await probe.Services.GetRequiredService<IIndexStore>().DisposeAsync();
            await ((IAsyncDisposable)probe).DisposeAsync();
        }
        await store.DisposeAsync();
        return 0;
    }

    /// <summary>
    /// With <c>CHATBOT_PIPELINE_HOLD</c> set to a file path, the query child waits after the questions until that file
    /// exists, so a heap snapshot (<c>dotnet-gcdump collect -p PID</c>) can be taken of a process holding the index.
    /// </summary>
    private static void HoldForInspection()
    {
        if (Environment.GetEnvironmentVariable("CHATBOT_PIPELINE_HOLD") is not { Length: > 0 } release)
            return;
        Console.Error.WriteLine($"  holding: process {Environment.ProcessId} waits for {release}");
        while (!File.Exists(release))
            Thread.Sleep(500);
    }

    private static IHost ProbeHost(string folder, string corpus, out StoreTimings timings)
    {
        var builder = Builder(folder, corpus);
        StoreTimings? made = null;
        var inner = builder.Services.Last(d => d.ServiceType == typeof(IIndexStore));
        builder.Services.Add(ServiceDescriptor.Singleton<IIndexStore>(sp =>
        {
            var (store, t) = StoreTimings.Wrap((IIndexStore)inner.ImplementationFactory!(sp));
            made = t;
            return store;
        }));
        var host = Opened(builder.Build());
        timings = made!;
        return host;
    }

    private static (double Ms, double GBps) MeasureScan(VectorIndex vectors)
    {
        var query = new float[vectors.Dimensions];
        query[0] = 1;
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(1))
            vectors.Search(query, 60); // past tiered compilation's first tiers
        var clock = Stopwatch.StartNew();
        const int runs = 50;
        for (var i = 0; i < runs; i++)
            vectors.Search(query, 60);
        var ms = clock.Elapsed.TotalMilliseconds / runs;
        return (ms, vectors.Count * (double)vectors.ScanBytesPerVector / (ms / 1000) / 1e9);
    }

    /// <summary>FTS5 <c>bm25()</c> alone: the question's words (any of them), best 10, as the eval baseline does it.</summary>
    private static List<double> Baseline(string folder, List<string> questions)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "baseline.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid FROM fts WHERE fts MATCH $q ORDER BY bm25(fts) LIMIT 10";
        var parameter = command.Parameters.Add("$q", SqliteType.Text);
        var times = new List<double>();
        foreach (var question in questions)
        {
            var words = TextFolding.Fold(question).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray())).Where(w => w.Length > 0).Distinct().ToList();
            if (words.Count == 0)
                continue;
            parameter.Value = string.Join(" OR ", words.Select(w => $"\"{w}\""));
            var clock = Stopwatch.StartNew();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                }
            }
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static double P(List<double> sorted, double p) => RetrievalEvaluation.Percentile(sorted, p);
}
