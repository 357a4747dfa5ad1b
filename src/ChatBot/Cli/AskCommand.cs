using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Cli;

/// <summary><c>ask "question" [--json] [--top-k N]</c>: index if needed, then answer once.</summary>
internal sealed class AskCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var question = new Argument<string>("question") { Description = "The question, in French or English." };
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON." };
        var topK = CliHelpers.TopKOption();
        var command = new Command("ask", "Answer one question from the corpus, citing the articles.") { question, json, topK };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(question) ?? "", result.GetValue(json), result.GetValue(topK), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(string question, bool json, int? topK, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            await app.Error.WriteLineAsync("error: the question is empty. Usage: ask \"your question\"");
            return CliApp.UsageError;
        }
        return await app.WithHostAsync(LogLevel.Warning, async (host, ct) =>
        {
            if (!await CliHelpers.EnsureIndexAsync(app, host, ct))
                return CliApp.RuntimeError;
            var answerer = host.Services.GetRequiredService<QuestionAnswerer>();
            var reply = await answerer.AnswerAsync(new ChatRequest(question) { TopK = topK }, ct);
            await app.Out.WriteLineAsync(json ? ToJson(question, reply) : ReplyFormatter.PlainText(reply));
            return CliApp.Ok;
        }, cancellationToken);
    }

    internal static string ToJson(string question, ChatReply reply) => JsonSerializer.Serialize(new
    {
        question,
        answer = reply.Text,
        grounded = reply.Grounded,
        citations = reply.Citations.Select(c => new
        {
            n = c.N,
            articleId = c.ArticleId,
            title = c.Title,
            source = c.Source,
            published = c.Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            quote = c.Quote,
        }),
        notes = reply.Notes,
        timings = new { retrievalMs = Math.Round(reply.Timings.RetrievalMs, 2), totalMs = Math.Round(reply.Timings.TotalMs, 2) },
    }, CliHelpers.Json);
}
