using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatBot.Core.Answering;
using ChatBot.Core.Retrieval;
using ChatBot.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Cli;

/// <summary>
/// <c>eval --questions FILE [--corpus DIR|FILE.jsonl] [--json]</c>: retrieval metrics for <c>gold</c> sets, answer
/// correctness for <c>gold_articles</c> sets. Another corpus gets its own index file beside the main one.
/// </summary>
internal sealed class EvalCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var questions = new Option<FileInfo>("--questions") { Description = "JSON file of questions.", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "Corpus folder or .jsonl file (default: ChatBot:Corpus:Path)." };
        var json = new Option<bool>("--json") { Description = "Print the scores as JSON." };
        var command = new Command("eval", "Measure retrieval (recall@k, MRR) or answers (correct, declined, wrong) on a question set.") { questions, corpus, json };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(questions)!, result.GetValue(corpus), result.GetValue(json), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(FileInfo file, string? corpus, bool json, CancellationToken cancellationToken)
    {
        List<EvalQuestion> items;
        try
        {
            items = JsonSerializer.Deserialize<List<EvalQuestion>>(await File.ReadAllTextAsync(file.FullName, cancellationToken)) ?? [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            await app.Error.WriteLineAsync($"error: cannot read questions from '{file.FullName}': {ex.Message}");
            return CliApp.RuntimeError;
        }
        if (corpus is not null)
        {
            var full = Path.GetFullPath(corpus);
            app.Overrides["ChatBot:Corpus:Path"] = full;
            var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12];
            app.Overrides["ChatBot:Store:Path"] = $"data/eval-{tag}.db";
        }
        return await app.WithHostAsync(LogLevel.Warning, async (host, ct) =>
        {
            if (!await CliHelpers.EnsureIndexAsync(app, host, ct))
                return CliApp.RuntimeError;
            if (items.TrueForAll(i => i.Gold is not null))
            {
                var minCoverage = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetrievalOptions>>().Value.MinCoverage;
                var scores = await RetrievalEvaluation.RunAsync(host.Services.GetRequiredService<HybridRetriever>(), minCoverage, items, ct);
                await app.Out.WriteLineAsync(json
                    ? JsonSerializer.Serialize(scores, CliHelpers.Json)
                    : $"{scores.Questions} questions: recall@1 {scores.RecallAt1:0.000}  recall@5 {scores.RecallAt5:0.000}  recall@10 {scores.RecallAt10:0.000}  MRR@10 {scores.MrrAt10:0.000}  declined {scores.DeclinedShare:0.000}  {scores.MeanMs:0.00} ms/query (p50 {scores.P50Ms:0.00}, p95 {scores.P95Ms:0.00})");
                return CliApp.Ok;
            }
            var answers = await AnswerEvaluation.RunAsync(host.Services.GetRequiredService<QuestionAnswerer>(), items, ct);
            if (json)
            {
                await app.Out.WriteLineAsync(JsonSerializer.Serialize(answers, CliHelpers.Json));
                return CliApp.Ok;
            }
            await app.Out.WriteLineAsync($"{answers.Questions} questions: {answers.AnsweredCorrectly} answered correctly, {answers.DeclinedCorrectly} declined correctly, {answers.Wrong} wrong");
            foreach (var failure in answers.Failures)
                await app.Out.WriteLineAsync($"FAIL {failure.Question}\n     expected {failure.Expected}\n     got      {failure.Got}");
            return CliApp.Ok;
        }, cancellationToken);
    }
}
