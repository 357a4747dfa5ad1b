using System.CommandLine;
using System.Globalization;
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
/// <c>eval --questions FILE [--corpus DIR|FILE.jsonl] [--json]</c>: retrieval and answer metrics for <c>gold</c> sets,
/// answer correctness for <c>gold_articles</c> sets; <c>--train-ranker</c> fits the reranker's weights on a gold set
/// with cross-validation grouped by article title. Another corpus gets its own index file beside the main one.
/// </summary>
internal sealed class EvalCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var questions = new Option<FileInfo>("--questions") { Description = "JSON file of questions.", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "Corpus folder or .jsonl file (default: ChatBot:Corpus:Path)." };
        var json = new Option<bool>("--json") { Description = "Print the scores as JSON." };
        var train = new Option<bool>("--train-ranker") { Description = "Fit the reranker's weights on this gold set (cross-validated) and write them." };
        var output = new Option<FileInfo?>("--output") { Description = "Where --train-ranker writes the weights (default: src/ChatBot.Core/Resources/ranker.json)." };
        var unanswerable = new Option<FileInfo?>("--unanswerable") { Description = "With --questions (answerable), a set of questions the corpus does not answer: prints the decline trade-off curve." };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds for --train-ranker and the decline threshold (2-20).", DefaultValueFactory = _ => 5 };
        folds.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 2 or > 20)
                r.AddError("--folds must be between 2 and 20.");
        });
        var evidenceOut = new Option<FileInfo?>("--evidence-out") { Description = "With --unanswerable, writes what the decline test saw for each question (JSON lines) to this file, for tools/eval/decline_ceiling.py; with --train-ranker, every question's candidates and features (JSON), for tools/eval/ranker_experiments.py." };
        var groups = new Option<FileInfo?>("--groups") { Description = "With --unanswerable, a gold set (like piaf-dev-questions.json) giving each question's paragraph by id: the decline threshold's cross-validation then groups folds by article." };
        var command = new Command("eval", "Measure retrieval and answers on a question set, or train the reranker on one.") { questions, corpus, json, train, output, folds, unanswerable, evidenceOut, groups };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(questions)!, result.GetValue(corpus), result.GetValue(json), result.GetValue(train), result.GetValue(output), result.GetValue(folds), result.GetValue(unanswerable), result.GetValue(evidenceOut), result.GetValue(groups), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(FileInfo file, string? corpus, bool json, bool train, FileInfo? output, int folds, FileInfo? unanswerable, FileInfo? evidenceOut, FileInfo? groups, CancellationToken cancellationToken)
    {
        List<EvalQuestion> items;
        List<EvalQuestion>? unanswerableItems = null;
        Dictionary<string, string>? paragraphs = null;
        try
        {
            items = EvalQuestion.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken));
            if (unanswerable is not null)
                unanswerableItems = EvalQuestion.Parse(await File.ReadAllTextAsync(unanswerable.FullName, cancellationToken));
            if (groups is not null)
            {
                paragraphs = EvalQuestion.Parse(await File.ReadAllTextAsync(groups.FullName, cancellationToken))
                    .Where(q => q.Id is not null && q.Gold is not null)
                    .DistinctBy(q => q.Id)
                    .ToDictionary(q => q.Id!, q => q.Gold!, StringComparer.Ordinal);
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            await app.Error.WriteLineAsync($"error: cannot read questions from '{file.FullName}': {ex.Message.ReplaceLineEndings(" ")}");
            return CliApp.RuntimeError;
        }
        var goldSet = items.Count > 0 && items.TrueForAll(i => i.HasGold);
        if (train && !goldSet)
        {
            await app.Error.WriteLineAsync("error: --train-ranker needs a set whose items have \"gold\" (the paragraph that answers), like piaf-dev-questions.json.");
            return CliApp.UsageError;
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
            var retriever = host.Services.GetRequiredService<Retriever>();
            if (train)
                return await TrainAsync(host.Services, file, corpus, items, folds, output, evidenceOut?.FullName, ct);
            if (unanswerableItems is not null)
            {
                await using var features = evidenceOut is null ? null : new StreamWriter(evidenceOut.FullName);
                // PIAF paragraph ids are "<article>-<paragraph>": a question's article is its paragraph's id without the last part.
                Func<EvalQuestion, string>? articleOf = paragraphs is null ? null : q =>
                {
                    var paragraph = q.Gold ?? (q.Id is not null && paragraphs.TryGetValue(q.Id, out var p) ? p : q.Question);
                    var dash = paragraph.LastIndexOf('-');
                    return dash > 0 ? paragraph[..dash] : paragraph;
                };
                var curve = await DeclineCalibration.RunAsync(
                    retriever, host.Services.GetRequiredService<EvidenceScorer>(), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetrievalOptions>>().Value, items, unanswerableItems, features, ct,
                    articleOf, folds);
                foreach (var line in curve)
                    await app.Out.WriteLineAsync(line);
                return CliApp.Ok;
            }
            if (goldSet)
            {
                var scores = await RetrievalEvaluation.RunAsync(retriever, host.Services.GetRequiredService<QuestionAnswerer>(), items, ct);
                await app.Out.WriteLineAsync(json ? JsonSerializer.Serialize(scores, CliHelpers.Json) : Describe(scores));
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

    private static string Describe(RetrievalScores s)
    {
        var text = new StringBuilder();
        if (s.Questions > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Questions} questions: recall@1 {s.RecallAt1:0.000}  recall@5 {s.RecallAt5:0.000}  recall@10 {s.RecallAt10:0.000}  MRR@10 {s.MrrAt10:0.000}  declined {s.DeclinedShare:0.000}  {s.MeanMs:0.00} ms/query (p50 {s.P50Ms:0.00}, p95 {s.P95Ms:0.00})");
            text.Append(CultureInfo.InvariantCulture, $"\nanswers: gold answer in the reply {s.AnswerInReply:0.000}  in the short answer or first quote {s.AnswerInLead:0.000} (first quote {s.AnswerInFirstQuote:0.000})  short answers {s.ShortAnswerShare:0.000} (exact match {s.ShortAnswerExactMatch:0.000}, F1 {s.ShortAnswerF1:0.000}, bold precision {s.BoldPrecision:0.000}, or within a gold answer {s.BoldPrecisionLenient:0.000})");
            text.Append(CultureInfo.InvariantCulture, $"\nbold rule cross-validated (5 folds grouped by article; rival threshold chosen on the other folds as the most bold answers at precision >= {BoldCalibration.TargetPrecision:0.00}): precision {s.BoldPrecisionCrossValidated:0.000} at share {s.ShortAnswerShareCrossValidated:0.000} (fold thresholds {string.Join(", ", s.BoldRivalFoldThetas.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}); the same choice on all the data: {s.BoldRivalTheta:0.00}");
        }
        if (s.Unanswerable > 0)
            text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? "\n" : "")}{s.Unanswerable} unanswerable questions: declined {s.UnanswerableDeclinedShare:0.000}");
        return text.ToString();
    }

    private async Task<int> TrainAsync(IServiceProvider services, FileInfo file, string? corpus, List<EvalQuestion> items, int folds, FileInfo? output, string? features, CancellationToken cancellationToken)
    {
        var trainer = new RankerTraining(services.GetRequiredService<Retriever>(), services.GetRequiredService<ChatBot.Core.Indexing.IIndexStore>());
        var report = await trainer.RunAsync(items, folds, cancellationToken, features);
        foreach (var line in report.Lines)
            await app.Out.WriteLineAsync(line);
        var provenance = $"eval --train-ranker --questions {file.Name} (sha256 {Hash(file.FullName)})"
            + (corpus is null ? "" : $" --corpus {Path.GetFileName(corpus)} (sha256 {(File.Exists(corpus) ? Hash(corpus) : "folder")})")
            + $"; {report.Questions} questions; {folds}-fold cross-validation grouped by article title: {report.CrossValidated}";
        var path = output?.FullName ?? Path.Combine(app.ContentRoot, "src", "ChatBot.Core", "Resources", "ranker.json");
        await File.WriteAllTextAsync(path, report.Model(provenance).ToJson() + "\n", cancellationToken);
        await app.Out.WriteLineAsync($"weights written to {path}");
        return CliApp.Ok;
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16];
}
