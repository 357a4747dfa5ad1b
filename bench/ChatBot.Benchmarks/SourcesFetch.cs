using System.Diagnostics;
using System.Globalization;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Indexing;
using ChatBot.FixtureSite;
using ChatBot.Hosting;
using ChatBot.Sources;
using ChatBot.Sources.Feeds;
using ChatBot.Sources.Fetching;
using ChatBot.Sources.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Benchmarks;

/// <summary>
/// <c>sources [PAGES]</c>: the bot against the local fixture news site (Kestrel on 127.0.0.1, in this process): its
/// sitemap lists PAGES articles (default 1,000). Prints fetching and extracting alone (pages/s), then the whole ingest
/// (fetch, extract, chunk, embed, store), the peak RSS of the process (site included), a second poll (304s), and an
/// answer from a fetched article. No network beyond 127.0.0.1; the per-host interval is 0 here (1 s by default).
/// </summary>
internal static class SourcesFetch
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        await using var site = await NewsSite.StartAsync(Generate(pages));
        var folder = Directory.CreateTempSubdirectory("chatbot-sources-bench-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "corpus"));
            var builder = BotHost.CreateBuilder(folder, new Dictionary<string, string?>
            {
                ["ChatBot:Corpus:Path"] = Path.Combine(folder, "corpus"),
                ["ChatBot:Store:Path"] = Path.Combine(folder, "index.db"),
                ["ChatBot:Sources:Feeds:0"] = site.Url("sitemap.xml").AbsoluteUri,
                ["ChatBot:Sources:PerHostIntervalMs"] = "0",
                ["ChatBot:Sources:MaxPagesPerPoll"] = pages.ToString(CultureInfo.InvariantCulture),
            }, LogLevel.Warning);
            using var host = builder.Build();
            await host.StartAsync();
            var fetcher = host.Services.GetRequiredService<PoliteFetcher>();

            // 1. Fetch and extract alone.
            var sitemap = await fetcher.FetchAsync(site.Url("sitemap.xml"), FetchKind.Feed, null, CancellationToken.None);
            var items = FeedDocument.Parse(sitemap.Body, sitemap.Url).Items;
            var clock = Stopwatch.StartNew();
            var words = 0L;
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, ct) =>
            {
                var page = await fetcher.FetchAsync(item.Url, FetchKind.Page, null, ct);
                var (document, _, _) = PageReader.Read(page, item);
                Interlocked.Add(ref words, document?.RawText.Split(' ').Length ?? 0);
            });
            var extract = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fetch + extract: {items.Count:N0} pages in {extract:0.00} s = {items.Count / extract:N0} pages/s ({words:N0} words)"));

            // 2. The whole ingest, as `index` does it.
            var sync = host.Services.GetRequiredService<SourceSync>();
            clock.Restart();
            var poll = (await sync.PollAllAsync(CancellationToken.None))[0];
            var ingest = clock.Elapsed.TotalSeconds;
            var counts = await host.Services.GetRequiredService<IIndexStore>().GetCountsAsync(CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest: {poll} in {ingest:0.00} s = {poll.Added / ingest:N0} pages/s; index {counts.Articles:N0} articles, {counts.Chunks:N0} chunks"));

            // 3. Nothing changed: every page answers 304.
            var before = site.Requests.Count;
            clock.Restart();
            var again = (await sync.PollAllAsync(CancellationToken.None))[0];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"second poll: {again} in {clock.Elapsed.TotalSeconds:0.00} s, {site.Requests.Count - before:N0} requests"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS (bot and site in one process): {PeakRssMb():0} MB"));

            // 4. An answer from the site.
            var reply = await host.Services.GetRequiredService<QuestionAnswerer>().AnswerAsync(new ChatRequest("Quel port a accueilli l'escadre numéro 7 ?"), CancellationToken.None);
            Console.WriteLine($"ask: {reply.Text.Split('\n')[0]}");
            if (reply.Citations.Count > 0)
                Console.WriteLine($"     [1] {reply.Citations[0].Title} — {reply.Citations[0].Url}");
            await host.StopAsync();
            await host.Services.GetRequiredService<IIndexStore>().DisposeAsync();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly string[] Ports = ["Bandar Abbas", "Bouchehr", "Tartous", "Lattaquié", "Astrakhan", "Makhatchkala", "Anzali", "Novorossiïsk"];
    private static readonly string[] Subjects = ["la coopération navale", "les exportations de blé", "un accord gazier", "la construction d'une centrale", "des manœuvres conjointes", "une visite ministérielle"];

    /// <summary>Made-up articles, each different: a numbered squadron, a port, a subject, a date.</summary>
    internal static IEnumerable<SiteArticle> Generate(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            var port = Ports[i % Ports.Length];
            var subject = Subjects[i % Subjects.Length];
            var date = new DateOnly(2024, 1, 1).AddDays(i % 700);
            yield return new SiteArticle($"article-{i}", $"L'escadre numéro {i} fait escale à {port}", date,
            [
                $"L'escadre numéro {i} de la flottille de la Caspienne a fait escale à {port} le {date:dd/MM/yyyy}, dans le cadre de {subject} entre la Russie et l'Iran.",
                $"Selon le commandant, les {3 + i % 5} navires de l'escadre numéro {i} resteront {2 + i % 4} jours à {port} avant de rejoindre leur base.",
                $"Des responsables des deux pays ont évoqué {subject}, sans donner de calendrier. Les observateurs y voient un signe du rapprochement entre Moscou et Téhéran depuis {2014 + i % 10}.",
                $"La presse locale souligne que l'escale de l'escadre numéro {i} est la {1 + i % 9}e de l'année dans la région, un chiffre jamais atteint auparavant.",
            ], (DateStyle)(i % 4), i % 3 == 0 ? "Rédaction" : null);
        }
    }

    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0
            : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
