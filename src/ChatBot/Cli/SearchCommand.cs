using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChatBot.Core.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Cli;

/// <summary><c>search "query" [--json] [--top-k N]</c>: the ranked passages behind an answer, with their scores.</summary>
internal sealed class SearchCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var query = new Argument<string>("query") { Description = "Words or a question to search for." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var topK = CliHelpers.TopKOption();
        var command = new Command("search", "Show the passages hybrid retrieval finds for a query, with scores.") { query, json, topK };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(query) ?? "", result.GetValue(json), result.GetValue(topK), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(string query, bool json, int? topK, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            await app.Error.WriteLineAsync("error: the query is empty. Usage: search \"words\"");
            return CliApp.UsageError;
        }
        return await app.WithHostAsync(LogLevel.Warning, async (host, ct) =>
        {
            if (!await CliHelpers.EnsureIndexAsync(app, host, ct))
                return CliApp.RuntimeError;
            var result = await host.Services.GetRequiredService<HybridRetriever>().RetrieveAsync(query, topK, ct);
            var scorer = host.Services.GetRequiredService<EvidenceScorer>();
            var rows = result.Passages.Select(p => new
            {
                rank = p.Rank,
                score = Math.Round(p.Score, 5),
                coverage = Math.Round(result.Evidence.CoverageOf(scorer.TermsOf(p)), 3),
                articleId = p.ArticleId,
                title = p.Title,
                published = p.Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                start = p.Start,
                end = p.End,
                text = p.ArticleText[p.HitStart..p.HitEnd],
            }).ToList();
            if (json)
            {
                await app.Out.WriteLineAsync(JsonSerializer.Serialize(new { query, coverage = result.Evidence.BestCoverage, results = rows }, CliHelpers.Json));
                return CliApp.Ok;
            }
            await app.Out.WriteLineAsync($"best coverage {result.Evidence.BestCoverage:0.000}, {result.Elapsed.TotalMilliseconds:0.0} ms");
            foreach (var row in rows)
            {
                var snippet = row.text.Length > 240 ? row.text[..240] + "…" : row.text;
                await app.Out.WriteLineAsync($"{row.rank,2}. {row.score:0.00000} cov {row.coverage:0.000}  {row.articleId} — {row.title}");
                await app.Out.WriteLineAsync($"    {snippet.ReplaceLineEndings(" ")}");
            }
            return CliApp.Ok;
        }, cancellationToken);
    }
}
