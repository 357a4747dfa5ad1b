using System.Globalization;

namespace ChatBot.Storage.Sqlite;

/// <summary>
/// How the store writes the values SQLite has no type for, in one place: an instant as fixed-width UTC round-trip text
/// ("2026-11-28T21:00:00.0000000Z"), so that the strings sort and compare in SQL like the instants they name; a date
/// as "yyyy-MM-dd".
/// </summary>
internal static class SqliteValues
{
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads <see cref="Instant"/>'s text (exact parsing is several times faster than the general parser, which
    /// matters when 80k articles load) and, from older databases, any round-trip text with an offset.
    /// </summary>
    public static DateTimeOffset ReadInstant(string value) =>
        DateTimeOffset.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant)
            ? instant
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static object Date(DateOnly? date) => (object?)date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? DBNull.Value;

    public static DateOnly ReadDate(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
