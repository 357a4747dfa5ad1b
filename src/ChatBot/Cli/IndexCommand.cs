using System.CommandLine;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Cli;

/// <summary><c>index [--corpus DIR] [--rebuild]</c>: bring the index up to date with the corpus (or rebuild it).</summary>
internal sealed class IndexCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Corpus folder or .jsonl file (default: ChatBot:Corpus:Path)." };
        var rebuild = new Option<bool>("--rebuild") { Description = "Embed every article again (conversations, feedback, inbox and digest ledger are kept; an unusable index file is set aside, not deleted)." };
        var command = new Command("index", "Index the corpus folder and fetch every configured web source once: new and changed articles are embedded, removed ones dropped.") { corpus, rebuild };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(corpus), result.GetValue(rebuild), cancellationToken));
        return command;
    }

    private Task<int> RunAsync(string? corpus, bool rebuild, CancellationToken cancellationToken)
    {
        if (corpus is not null)
            app.Overrides["ChatBot:Corpus:Path"] = Path.GetFullPath(corpus);
        return app.WithHostAsync(LogLevel.Information, async (host, ct) =>
        {
            if (rebuild)
                await RebuildAsync(host.Services, ct);
            else
                await host.Services.GetRequiredService<IndexOpener>().OpenAsync(ct);
            var report = await IndexProgressReporter.RunAsync(app, host.Services.GetRequiredService<CorpusIngester>(), ct);
            await app.Out.WriteLineAsync($"{report}");
            // Every configured web source once (ChatBot:Sources:Feeds, :Pages), so scripts and CI ingest without `run`.
            var sources = host.Services.GetRequiredService<SourceSync>();
            var failed = 0;
            foreach (var poll in await sources.PollAllAsync(ct))
            {
                await app.Out.WriteLineAsync($"Source {poll}");
                failed += poll.Succeeded ? 0 : 1;
            }
            var counts = await host.Services.GetRequiredService<IIndexStore>().GetCountsAsync(ct);
            await app.Out.WriteLineAsync($"Index {host.Services.GetRequiredService<IIndexStore>().Location}: {counts.Articles} articles, {counts.Chunks} chunks.");
            if (failed > 0)
            {
                await app.Error.WriteLineAsync($"error: {failed} of {sources.Configured.Count} source(s) could not be read (see above).");
                return CliApp.RuntimeError;
            }
            if (report.Files == 0 && sources.Configured.Count == 0)
            {
                await app.Error.WriteLineAsync($"error: the corpus folder '{report.CorpusPath}' has no articles (.txt, .md, .html or .jsonl files).");
                return CliApp.RuntimeError;
            }
            return CliApp.Ok;
        }, cancellationToken, builder => builder.WithoutIndexAtStartup());
    }

    /// <summary>
    /// Every chunk and file fingerprint goes, so every article is embedded again; the rest of the database
    /// (conversations, feedback, the inbox, the digest ledger, the question log) stays. A SQLite file that cannot be
    /// opened at all (damaged, another application's) is set aside as <c>&lt;file&gt;.unusable-&lt;time&gt;</c>, never
    /// deleted, and a new one is built.
    /// </summary>
    private static async Task RebuildAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<StoreOptions>>().Value;
        var store = services.GetRequiredService<IIndexStore>();
        try
        {
            await services.GetRequiredService<IndexOpener>().OpenAsync(cancellationToken);
        }
        catch (IndexStoreException) when (!options.UsesPostgres && File.Exists(store.Location) && IsUnusable(store.Location))
        {
            SetAside(store.Location, services.GetRequiredService<TimeProvider>());
            await services.GetRequiredService<IndexOpener>().OpenAsync(cancellationToken);
        }
        await store.ClearChunksAsync(cancellationToken);
    }

    /// <summary>Not a SQLite file of this application (as opposed to one this user may not open: that is never moved).</summary>
    private static bool IsUnusable(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void SetAside(string path, TimeProvider time)
    {
        var suffix = ".unusable-" + time.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
                File.Move(file, file + suffix);
        }
    }
}
