using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChatBot.Core.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Cli;

/// <summary>
/// <c>search "query" [--json] [--top-k N]</c>: the ranked passages behind an answer, with what each retrieval stage
/// scored them (for debugging a bad answer) and how the question was read.
/// </summary>
internal sealed class SearchCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var query = new Argument<string>("query") { Description = "Words or a question to search for." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON, with each stage's score." };
        var topK = CliHelpers.TopKOption();
        var command = new Command("search", "Show the passages retrieval finds for a query, with each stage's score.") { query, json, topK };
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
            var result = await host.Services.GetRequiredService<Retriever>().RetrieveAsync(query, topK, ct);
            var scorer = host.Services.GetRequiredService<EvidenceScorer>();
            var rows = result.Passages.Select(p => new
            {
                rank = p.Rank,
                score = Math.Round(p.Score, 5),
                stages = p.Scores is { } s ? new { lexical = Math.Round(s.Lexical, 5), vector = Math.Round(s.Vector, 5), rerank = Math.Round(s.Rerank, 5), boost = Math.Round(s.Boost, 5) } : null,
                coverage = Math.Round(result.Evidence.CoverageOf(scorer.Words(p).Contains), 3),
                articleId = p.ArticleId,
                title = p.Title,
                published = p.Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                start = p.Start,
                end = p.End,
                text = p.ArticleText[p.HitStart..p.HitEnd],
            }).ToList();
            var understood = new
            {
                cleaned = result.Query.Cleaned,
                language = result.Query.Language.ToString(),
                answerType = result.Query.AnswerType.ToString(),
                concepts = result.Query.Concepts.Select(c => new
                {
                    word = c.Surface,
                    name = c.IsName,
                    known = c.Known,
                    alternatives = c.Alternatives.Select(a => new { word = a.Folded, weight = Math.Round(a.Weight, 2) }),
                    weight = Math.Round(result.Evidence.Concepts.FirstOrDefault(e => e.Concept == c)?.Weight ?? 0, 3),
                    present = result.Evidence.Concepts.FirstOrDefault(e => e.Concept == c)?.Present ?? false,
                }),
            };
            if (json)
            {
                await app.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    query,
                    understood,
                    coverage = result.Evidence.Coverage,
                    missingNames = result.Evidence.MissingNames,
                    stageMs = result.StageTimings.ToDictionary(t => t.Stage, t => Math.Round(t.Ms, 3)),
                    results = rows,
                }, CliHelpers.Json));
                return CliApp.Ok;
            }
            await app.Out.WriteLineAsync($"read as: {string.Join(" ", result.Query.Concepts.Select(c => c.Alternatives.Count > 1 ? $"{c.Surface}({string.Join('|', c.Alternatives.Skip(1).Select(a => a.Folded))})" : c.Surface))}{(result.Query.Expansions.Count == 0 ? "" : " ~ " + string.Join(" ", result.Query.Expansions.Select(e => string.Join('|', e.Alternatives.Select(a => a.Folded)))))} [{result.Query.Language}, {result.Query.AnswerType}{(result.Query.Ask.IsEmpty ? "" : ", asks " + (result.Query.Ask.Family?.Key ?? "how many"))}]");
            await app.Out.WriteLineAsync($"best passage covers {result.Evidence.Coverage:0.000} of the question, lacks {result.Evidence.MissingNames} name(s); {result.Elapsed.TotalMilliseconds:0.0} ms");
            foreach (var row in rows)
            {
                var snippet = row.text.Length > 240 ? row.text[..240] + "…" : row.text;
                await app.Out.WriteLineAsync($"{row.rank,2}. {row.score:0.000} (lexical {row.stages?.lexical:0.000}, rerank {row.stages?.rerank:0.000}, boost {row.stages?.boost:0.000}) cov {row.coverage:0.000}  {row.articleId} — {row.title}");
                await app.Out.WriteLineAsync($"    {snippet.ReplaceLineEndings(" ")}");
            }
            return CliApp.Ok;
        }, cancellationToken);
    }
}
