using System.Diagnostics;
using System.Text.Json.Nodes;
using ChatBot.Core.Answering;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval;
using ChatBot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Benchmarks;

/// <summary>
/// What the Semantic Kernel path adds on top of the model server: an OpenAI-compatible endpoint on 127.0.0.1 that
/// answers at once (its own handling time measured), and the answer generator called against it.
/// </summary>
internal static class LanguageModelOverhead
{
    public static async Task<int> RunAsync(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var serverTimes = new List<double>();
        var server = WebApplication.CreateSlimBuilder();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        server.Logging.ClearProviders();
        await using var app = server.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var clock = Stopwatch.StartNew();
            using var reader = new StreamReader(http.Request.Body);
            var request = JsonNode.Parse(await reader.ReadToEndAsync())!;
            var body = new JsonObject
            {
                ["id"] = "b", ["object"] = "chat.completion", ["created"] = 0, ["model"] = request["model"]!.GetValue<string>(),
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["finish_reason"] = "stop", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "Au nord-ouest de l'Iran [1]." } }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
            }.ToJsonString();
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(body);
            lock (serverTimes)
                serverTimes.Add(clock.Elapsed.TotalMilliseconds);
        });
        await app.StartAsync();

        var root = Directory.GetCurrentDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["ChatBot:Ai:Provider"] = "OpenAI",
            ["ChatBot:Ai:Endpoint"] = app.Urls.First() + "/v1",
            ["ChatBot:Ai:ChatModel"] = "bench",
            ["ChatBot:Store:Path"] = Path.Combine(Path.GetTempPath(), "chatbot-bench-llm.db"),
        };
        using var host = Pipeline.Opened(BotHost.CreateBuilder(root, settings, LogLevel.Warning).Build());
        await host.Services.GetRequiredService<ChatBot.Core.Ingestion.CorpusIngester>().SyncAsync(null, CancellationToken.None);
        var retrieval = await host.Services.GetRequiredService<Retriever>().RetrieveAsync("Dans quelle région de l'Iran se trouve Hamedan ?", null, CancellationToken.None);
        var generator = host.Services.GetRequiredService<IAnswerGenerator>();
        var context = new AnswerContext("Dans quelle région de l'Iran se trouve Hamedan ?", retrieval, Language.French);

        for (var i = 0; i < 20; i++)
            await generator.GenerateAsync(context, CancellationToken.None); // warm-up
        lock (serverTimes)
            serverTimes.Clear();
        var totals = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            await generator.GenerateAsync(context, CancellationToken.None);
            totals.Add(clock.Elapsed.TotalMilliseconds);
        }
        totals.Sort();
        serverTimes.Sort();
        double P(List<double> xs, double p) => xs[Math.Clamp((int)Math.Ceiling(p * xs.Count) - 1, 0, xs.Count - 1)];
        Console.WriteLine($"Semantic Kernel answer path ({generator.Name}) over {calls} calls to a local OpenAI-compatible endpoint");
        Console.WriteLine("| | p50 ms | p95 ms |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| generator call (prompt, HTTP, parsing, citation checks) | {P(totals, 0.5):0.00} | {P(totals, 0.95):0.00} |");
        Console.WriteLine($"| server's own handling | {P(serverTimes, 0.5):0.00} | {P(serverTimes, 0.95):0.00} |");
        Console.WriteLine($"| added by the SK path | {P(totals, 0.5) - P(serverTimes, 0.5):0.00} | {P(totals, 0.95) - P(serverTimes, 0.95):0.00} |");
        return 0;
    }
}
