using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Ingestion.Embeddings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Support.OpenAi;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1: <c>/v1/chat/completions</c> answers with the text the test sets,
/// <c>/v1/embeddings</c> with deterministic vectors; faults (status with Retry-After, a hang, malformed JSON) can be
/// queued. Requests are recorded.
/// </summary>
public sealed class FakeOpenAi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentQueue<(string Path, JsonObject Body, DateTimeOffset At)> _requests = new();
    private readonly HashingEmbeddingGenerator _vectors = new(TextAnalyzer.Shared, 48);

    public sealed record Fault(int Status = 200, string? Body = null, int? RetryAfterSeconds = null, TimeSpan? Hang = null);

    private FakeOpenAi(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.First() + "/v1";

    /// <summary>What the "model" says next (a function of the request, for answers that depend on the passages).</summary>
    public Func<JsonObject, string> Reply { get; set; } = _ => "not in the corpus";

    /// <summary>
    /// What the "model" answers to the search-query rewrite prompt (<c>prompts/rewrite-query.md</c>): by default the
    /// message itself, as a model would for a standalone French question.
    /// </summary>
    public Func<JsonObject, string> Rewrite { get; set; } = request => MessageOf(request);

    /// <summary>Whether a chat request is the rewrite prompt's.</summary>
    public static bool IsRewrite(JsonObject request) =>
        request["messages"]!.AsArray()[0]!["content"]!.GetValue<string>().Contains("search query", StringComparison.Ordinal);

    /// <summary>The "Message:" line of a rewrite request.</summary>
    public static string MessageOf(JsonObject request)
    {
        var user = request["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        var at = user.LastIndexOf("Message: ", StringComparison.Ordinal);
        return at < 0 ? user : System.Net.WebUtility.HtmlDecode(user[(at + "Message: ".Length)..].Trim());
    }

    /// <summary>The chat requests other than rewrites: answers, summaries, digests.</summary>
    public IReadOnlyList<(string Path, JsonObject Body, DateTimeOffset At)> AnswerRequests =>
        Requests.Where(r => r.Path.EndsWith("chat/completions", StringComparison.Ordinal) && !IsRewrite(r.Body)).ToList();

    /// <summary>Vector size returned by /v1/embeddings.</summary>
    public int EmbeddingDimensions { get; set; } = 48;

    public IReadOnlyList<(string Path, JsonObject Body, DateTimeOffset At)> Requests => _requests.ToList();

    public static async Task<FakeOpenAi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeOpenAi(app);
        app.MapPost("/v1/chat/completions", (Func<HttpContext, Task>)fake.ChatAsync);
        app.MapPost("/v1/embeddings", (Func<HttpContext, Task>)fake.EmbeddingsAsync);
        await app.StartAsync();
        return fake;
    }

    public void FailNext(Fault fault) => _faults.Enqueue(fault);

    private async Task<JsonObject?> ReadAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
        _requests.Enqueue((http.Request.Path, body, DateTimeOffset.UtcNow));
        if (_faults.TryDequeue(out var fault))
        {
            if (fault.Hang is { } hang)
            {
                try
                {
                    await Task.Delay(hang, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
            if (fault.RetryAfterSeconds is { } seconds)
                http.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            http.Response.StatusCode = fault.Status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(fault.Body ?? """{"error": {"message": "simulated failure", "type": "server_error"}}""");
            return null;
        }
        return body;
    }

    private async Task ChatAsync(HttpContext http)
    {
        if (await ReadAsync(http) is not { } body)
            return;
        var response = new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1_732_000_000,
            ["model"] = body["model"]!.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = IsRewrite(body) ? Rewrite(body) : Reply(body) },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(response.ToJsonString());
    }

    private async Task EmbeddingsAsync(HttpContext http)
    {
        if (await ReadAsync(http) is not { } body)
            return;
        var inputs = body["input"] is JsonArray array ? array.Select(i => i!.GetValue<string>()).ToList() : [body["input"]!.GetValue<string>()];
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = _vectors.Embed(inputs[i]).Take(EmbeddingDimensions).Concat(Enumerable.Repeat(0f, Math.Max(0, EmbeddingDimensions - 48)));
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()) });
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = body["model"]!.GetValue<string>(), ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["total_tokens"] = 1 } }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        // In-flight requests (a long poll, a hang) must not hold the test for Kestrel's 30-second grace period.
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
    }
}
