using System.CommandLine;
using ChatBot.Core.Extensions;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Storage;
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
        var rebuild = new Option<bool>("--rebuild") { Description = "Delete the index file and build it again from the corpus." };
        var command = new Command("index", "Index the corpus: new and changed articles are embedded, removed ones dropped.") { corpus, rebuild };
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
            var counts = await host.Services.GetRequiredService<IIndexStore>().GetCountsAsync(ct);
            await app.Out.WriteLineAsync($"{report}");
            await app.Out.WriteLineAsync($"Index {host.Services.GetRequiredService<IIndexStore>().Location}: {counts.Articles} articles, {counts.Chunks} chunks.");
            if (report.Files == 0)
            {
                await app.Error.WriteLineAsync($"error: the corpus folder '{report.CorpusPath}' has no articles (.txt, .md, .html or .jsonl files).");
                return CliApp.RuntimeError;
            }
            return CliApp.Ok;
        }, cancellationToken, builder => builder.WithoutIndexAtStartup());
    }

    /// <summary>SQLite: the file goes. PostgreSQL: every chunk and file fingerprint goes, so every article is embedded again.</summary>
    private static async Task RebuildAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<StoreOptions>>().Value;
        if (!options.UsesPostgres)
        {
            DeleteIndex(options.Path);
            await services.GetRequiredService<IndexOpener>().OpenAsync(cancellationToken);
            return;
        }
        await services.GetRequiredService<IndexOpener>().OpenAsync(cancellationToken);
        await services.GetRequiredService<IIndexStore>().Chunks.EnsureCollectionDeletedAsync(cancellationToken);
    }

    private static void DeleteIndex(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
                File.Delete(file);
        }
    }
}
