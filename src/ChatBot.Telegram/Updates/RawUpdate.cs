using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ChatBot.Telegram.Updates;

/// <summary>
/// One update as Telegram sent it, read on its own: its id, and the <see cref="Update"/> it parses to, or why it does
/// not parse. A batch is read update by update, so one the client cannot read (a lone surrogate in its text, a field
/// of the wrong type) is set aside and never holds back the others or the offset.
/// </summary>
public sealed record RawUpdate(int? Id, Update? Update, string Json, string? Error)
{
    /// <summary>Reads one element of a <c>getUpdates</c> result, or a webhook body.</summary>
    public static RawUpdate Read(JsonElement element)
    {
        var json = element.GetRawText();
        int? id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("update_id", out var value) && value.TryGetInt32(out var number) ? number : null;
        try
        {
            var update = element.Deserialize<Update>(JsonBotAPI.Options);
            return update is null ? new RawUpdate(id, null, json, "empty update") : new RawUpdate(update.Id, update, json, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException or NotSupportedException)
        {
            return new RawUpdate(id, null, json, "the update cannot be read: " + FirstLine(ex.Message));
        }
    }

    /// <summary>Reads a <c>getUpdates</c> result array, update by update.</summary>
    public static IReadOnlyList<RawUpdate> ReadAll(JsonElement result) =>
        result.ValueKind == JsonValueKind.Array ? result.EnumerateArray().Select(Read).ToList() : [];

    /// <summary>An exception's message is the reason logged; its first line is enough and never carries the user's text.</summary>
    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        // System.Text.Json quotes the path, never the value: still, keep the reason short.
        return line.Length > 200 ? line[..200] : line;
    }
}
