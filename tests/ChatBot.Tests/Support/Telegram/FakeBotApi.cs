using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Support.Telegram;

/// <summary>
/// A Bot API server on 127.0.0.1 that behaves like Telegram's for the methods the bot uses: <c>POST
/// /bot{token}/{method}</c> with JSON, the <c>{"ok":…}</c> envelope and error shape, <c>getUpdates</c> long polling
/// with <c>offset</c> confirming earlier updates, HTML parse-mode checks and the 4,096-character limit on
/// <c>sendMessage</c>. Faults (429, 5xx, 400, a dropped connection) can be queued per method, or the whole service
/// made unreachable. Like the real service it refuses a <c>message_thread_id</c> that is not a forum topic (400
/// "message thread not found"; an ordinary supergroup message carries the thread id of its reply chain) and a callback
/// query answered too late (400 "query is too old").
/// </summary>
public sealed class FakeBotApi : IAsyncDisposable
{
    public const string Token = "123456789:TEST-token_for-the-fake";
    public const long BotId = 999_000_001;
    public const string BotUsername = "CorpusBot";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _pending = [];
    private readonly Dictionary<long, string> _chatTypes = [];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new();
    private readonly ConcurrentQueue<ApiCall> _calls = new();
    private readonly ConcurrentQueue<ApiCall> _sent = new();
    private TaskCompletionSource _updatesArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextUpdateId = 100;
    private int _nextMessageId = 5000;

    public sealed record ApiCall(string Method, JsonObject Body, DateTimeOffset At);

    public sealed record Fault(int Status, string Description, int? RetryAfter = null, bool Drop = false, TimeSpan? Delay = null, long? ForChat = null);

    private FakeBotApi(WebApplication app) => _app = app;

    /// <summary>While true, every call gets 502 Bad Gateway (Telegram unreachable behind its load balancer).</summary>
    public bool Outage { get; set; }

    /// <summary>
    /// While set, <c>sendMessage</c> waits for it: an answer held in flight. Completed with true, the held messages go
    /// through; with false, they are dropped unseen (the sender died or gave up while they were held: deciding that
    /// from the connection alone would race Kestrel noticing the abort).
    /// </summary>
    public TaskCompletionSource<bool>? HoldSends { get; set; }

    /// <summary>How long a callback query can be answered after the press.</summary>
    public TimeSpan CallbackDeadline { get; set; } = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _pressedAt = new();
    private readonly ConcurrentDictionary<(long Chat, int Thread), bool> _topics = new();

    /// <summary>Updates not yet confirmed by an offset.</summary>
    public int PendingUpdates
    {
        get
        {
            lock (_lock)
                return _pending.Count;
        }
    }

    public string BaseUrl => _app.Urls.First();

    public IReadOnlyList<ApiCall> Calls => _calls.ToList();

    /// <summary>Messages the bot sent, in the order Telegram accepted them, with the visible text Telegram would show.</summary>
    public IReadOnlyList<ApiCall> Sent => _sent.ToList();

    public static async Task<FakeBotApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBotApi(app);
        app.MapPost("/bot{token}/{method}", (Func<HttpContext, string, string, Task>)fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>Queues a fault for the next call of <paramref name="method"/>.</summary>
    public void FailNext(string method, Fault fault) => _faults.GetOrAdd(method, _ => new ConcurrentQueue<Fault>()).Enqueue(fault);

    /// <summary>A user writes in a chat. Commands and @mentions get their entities, as Telegram's clients set them.</summary>
    public int Send(long chatId, string text, string chatType = "private", long userId = 42, string languageCode = "fr", int? replyToMessageId = null, bool replyToBot = false, bool fromBot = false, int? threadId = null, bool topic = false)
    {
        lock (_lock)
        {
            _chatTypes[chatId] = chatType;
            var messageId = ++_nextMessageId;
            var message = new JsonObject
            {
                ["message_id"] = messageId,
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = Chat(chatId),
                ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = fromBot, ["first_name"] = "Ada", ["language_code"] = languageCode },
                ["text"] = text,
            };
            var entities = Entities(text);
            if (entities.Count > 0)
                message["entities"] = entities;
            if (threadId is { } thread)
            {
                // A forum topic's message says so; in an ordinary supergroup the id is only the reply chain's.
                message["message_thread_id"] = thread;
                if (topic)
                {
                    message["is_topic_message"] = true;
                    _topics[(chatId, thread)] = true;
                }
            }
            if (replyToMessageId is { } replied)
            {
                message["reply_to_message"] = new JsonObject
                {
                    ["message_id"] = replied,
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["chat"] = Chat(chatId),
                    ["from"] = replyToBot ? BotUser() : new JsonObject { ["id"] = userId + 1, ["is_bot"] = false, ["first_name"] = "Bob" },
                    ["text"] = "…",
                };
            }
            _pending.Add(new JsonObject { ["update_id"] = ++_nextUpdateId, ["message"] = message });
            _updatesArrived.TrySetResult();
            return messageId;
        }
    }

    /// <summary>
    /// Queues an update Telegram could send but a client may fail to read: <paramref name="message"/> is the message
    /// object as given (a field of the wrong type, a lone surrogate in its text). Returns its update id.
    /// </summary>
    public int SendRaw(JsonObject message)
    {
        lock (_lock)
        {
            var id = ++_nextUpdateId;
            _pending.Add(new JsonObject { ["update_id"] = id, ["message"] = message });
            _updatesArrived.TrySetResult();
            return id;
        }
    }

    private string PressId(int updateId)
    {
        var id = "cb" + updateId;
        _pressedAt[id] = DateTimeOffset.UtcNow;
        return id;
    }

    /// <summary>A user presses an inline-keyboard button under the bot's message <paramref name="messageId"/>.</summary>
    public void Press(long chatId, int messageId, string data, long userId = 42)
    {
        lock (_lock)
        {
            _pending.Add(new JsonObject
            {
                ["update_id"] = ++_nextUpdateId,
                ["callback_query"] = new JsonObject
                {
                    ["id"] = PressId(_nextUpdateId),
                    ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Ada", ["language_code"] = "fr" },
                    ["message"] = new JsonObject { ["message_id"] = messageId, ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["chat"] = Chat(chatId), ["from"] = BotUser(), ["text"] = "…" },
                    ["chat_instance"] = "ci",
                    ["data"] = data,
                },
            });
            _updatesArrived.TrySetResult();
        }
    }

    public static Task WaitForAsync(Func<bool> condition, string what = "condition") => Eventually.WaitAsync(condition, what);

    /// <summary>Waits until the bot has sent <paramref name="count"/> messages in all, and returns them.</summary>
    public async Task<IReadOnlyList<ApiCall>> WaitForSentAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.WaitAsync(() => Sent.Count >= count,
            () => $"expected {count} sent messages, got {Sent.Count}: {string.Join(" | ", Sent.Select(s => s.Body["text"]))}", timeout ?? TimeSpan.FromSeconds(15));
        return Sent;
    }

    private async Task HandleAsync(HttpContext http, string token, string method)
    {
        var body = await ReadBodyAsync(http.Request);
        _calls.Enqueue(new ApiCall(method, body, DateTimeOffset.UtcNow));
        if (Outage)
        {
            await Error(http, 502, "Bad Gateway");
            return;
        }
        if (token != Token)
        {
            await Error(http, 401, "Unauthorized");
            return;
        }
        if (_faults.TryGetValue(method, out var queue) && queue.TryPeek(out var next)
            && (next.ForChat is null || body["chat_id"]?.GetValue<long>() == next.ForChat) && queue.TryDequeue(out var fault))
        {
            if (fault.Delay is { } delay)
            {
                await Task.Delay(delay); // a slow server: the call then succeeds
            }
            else if (fault.Drop)
            {
                http.Abort();
                return;
            }
            else
            {
                await Error(http, fault.Status, fault.Description, fault.RetryAfter);
                return;
            }
        }
        switch (method)
        {
            case "getMe":
                await Ok(http, BotUser());
                break;
            case "answerCallbackQuery" when _pressedAt.TryGetValue(body["callback_query_id"]?.GetValue<string>() ?? "", out var pressed) && DateTimeOffset.UtcNow - pressed > CallbackDeadline:
                await Error(http, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
                break;
            case "sendMessage" or "sendChatAction" when body["message_thread_id"] is { } thread && !_topics.ContainsKey((body["chat_id"]!.GetValue<long>(), thread.GetValue<int>())):
                await Error(http, 400, "Bad Request: message thread not found");
                break;
            case "deleteWebhook" or "setWebhook" or "setMyCommands" or "sendChatAction" or "answerCallbackQuery":
                await Ok(http, true);
                break;
            case "getUpdates":
                await Ok(http, await UpdatesAsync(body, http.RequestAborted));
                break;
            case "sendMessage":
                await SendMessageAsync(http, body);
                break;
            default:
                await Error(http, 404, "Not Found: method not found");
                break;
        }
    }

    private async Task<JsonArray> UpdatesAsync(JsonObject body, CancellationToken aborted)
    {
        var offset = body["offset"]?.GetValue<int>() ?? 0;
        var timeout = Math.Min(body["timeout"]?.GetValue<int>() ?? 0, 5);
        var deadline = DateTime.UtcNow.AddSeconds(timeout);
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                // An offset confirms every update before it: they are never returned again.
                _pending.RemoveAll(u => u["update_id"]!.GetValue<int>() < offset);
                if (_pending.Count > 0 || DateTime.UtcNow >= deadline)
                    return new JsonArray(_pending.Select(u => (JsonNode)u.DeepClone()).ToArray());
                if (_updatesArrived.Task.IsCompleted)
                    _updatesArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrived = _updatesArrived.Task;
            }
            var wait = deadline - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
                await Task.WhenAny(arrived, Task.Delay(wait, aborted));
            aborted.ThrowIfCancellationRequested();
        }
    }

    private async Task SendMessageAsync(HttpContext http, JsonObject body)
    {
        if (HoldSends is { } hold)
        {
            bool deliver;
            try
            {
                deliver = await hold.Task.WaitAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the bot gave up (or died): Telegram never received this message
            }
            if (!deliver)
            {
                http.Abort();
                return;
            }
        }
        var text = body["text"]?.GetValue<string>() ?? "";
        var chatId = body["chat_id"]!.GetValue<long>();
        var visible = text;
        if (string.Equals(body["parse_mode"]?.GetValue<string>(), "HTML", StringComparison.OrdinalIgnoreCase))
        {
            var (parsed, error) = TelegramHtmlValidator.Parse(text);
            if (error is not null)
            {
                await Error(http, 400, error);
                return;
            }
            visible = parsed!;
        }
        if (visible.Trim().Length == 0)
        {
            await Error(http, 400, "Bad Request: message text is empty");
            return;
        }
        if (visible.Length > 4096)
        {
            await Error(http, 400, "Bad Request: message is too long");
            return;
        }
        body["_visible"] = visible;
        int id;
        lock (_lock)
            id = ++_nextMessageId;
        body["_message_id"] = id;
        _sent.Enqueue(new ApiCall("sendMessage", body, DateTimeOffset.UtcNow));
        await Ok(http, new JsonObject
        {
            ["message_id"] = id,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = Chat(chatId),
            ["from"] = BotUser(),
            ["text"] = visible,
        });
    }

    private JsonObject Chat(long chatId)
    {
        var type = _chatTypes.GetValueOrDefault(chatId, "private");
        var chat = new JsonObject { ["id"] = chatId, ["type"] = type };
        if (type == "private")
            chat["first_name"] = "Ada";
        else
            chat["title"] = "Groupe de test";
        return chat;
    }

    private static JsonObject BotUser() => new() { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Corpus", ["username"] = BotUsername };

    private static JsonArray Entities(string text)
    {
        var entities = new JsonArray();
        if (text.StartsWith('/'))
        {
            var end = text.IndexOfAny([' ', '\n']);
            entities.Add(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = end < 0 ? text.Length : end });
        }
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, @"(?<![/\w])@\w+"))
            entities.Add(new JsonObject { ["type"] = "mention", ["offset"] = match.Index, ["length"] = match.Length });
        return entities;
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return new JsonObject(form.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.ToString()))));
        }
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text)?.AsObject() ?? [];
    }

    private static Task Ok(HttpContext http, JsonNode result) =>
        Write(http, 200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static Task Error(HttpContext http, int status, string description, int? retryAfter = null)
    {
        var envelope = new JsonObject { ["ok"] = false, ["error_code"] = status, ["description"] = description };
        if (retryAfter is { } seconds)
            envelope["parameters"] = new JsonObject { ["retry_after"] = seconds };
        return Write(http, status, envelope);
    }

    /// <summary>
    /// Written into a response as the bytes of a lone surrogate encoded as if it were a character (ED A0 80): not UTF-8,
    /// as a server that encodes UTF-16 text naively sends it.
    /// </summary>
    public const string LoneSurrogateBytes = "\uE000lone-surrogate\uE000";

    private static async Task Write(HttpContext http, int status, JsonObject json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var text = json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var parts = text.Split(LoneSurrogateBytes);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
                await http.Response.Body.WriteAsync(new byte[] { 0xED, 0xA0, 0x80 });
            await http.Response.WriteAsync(parts[i]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // In-flight requests (a long poll, a hang) must not hold the test for Kestrel's 30-second grace period.
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
    }
}
