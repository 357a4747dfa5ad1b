using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatBot.Core.Foundation.Logging;
using ChatBot.Telegram.Updates;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatBot.Telegram.Polling;

/// <summary>
/// <c>getUpdates</c> read by hand rather than by the client library: the library reads a whole batch as one array of
/// <see cref="Update"/>, so one update it cannot read fails the batch, the offset never moves and the bot is deaf for
/// good. Here each update is read on its own (<see cref="RawUpdate"/>). Telegram's errors become the library's
/// <see cref="ApiRequestException"/>, so the adapter treats them as before (429 waited out, 401 parks the adapter).
/// </summary>
public sealed class TelegramUpdateSource(IHttpClientFactory clients, IOptions<TelegramOptions> options)
{
    public async Task<IReadOnlyList<RawUpdate>> GetUpdatesAsync(int offset, int timeoutSeconds, IEnumerable<UpdateType> allowed, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var root = string.IsNullOrWhiteSpace(o.BaseUrl) ? "https://api.telegram.org" : o.BaseUrl.TrimEnd('/');
        var client = clients.CreateClient(nameof(TelegramBotClient));
        var body = new JsonObject
        {
            ["offset"] = offset,
            ["timeout"] = timeoutSeconds,
            ["allowed_updates"] = new JsonArray(allowed.Select(t => (JsonNode)JsonNamingPolicy.SnakeCaseLower.ConvertName(t.ToString())).ToArray()),
        };
        using var response = await client.PostAsJsonAsync($"{root}/bot{o.Token}/getUpdates", body, cancellationToken);
        using var document = Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        var envelope = document.RootElement;
        if (envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True && envelope.TryGetProperty("result", out var result))
            return RawUpdate.ReadAll(result);
        var code = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("error_code", out var error) && error.TryGetInt32(out var number) ? number : (int)response.StatusCode;
        var description = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : response.ReasonPhrase ?? "error";
        int? retryAfter = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("retry_after", out var retry) && retry.TryGetInt32(out var seconds) ? seconds : null;
        throw new ApiRequestException(UpstreamText.Scrub(description, o.Token), code, retryAfter is null ? null : new ResponseParameters { RetryAfter = retryAfter });
    }

    /// <summary>
    /// The body as JSON; a body that is not valid UTF-8 (a lone surrogate encoded byte by byte in some user's text) is
    /// read with the bad bytes replaced by U+FFFD, rather than losing the whole batch.
    /// </summary>
    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(System.Text.Encoding.UTF8.GetString(body));
        }
    }
}
