using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Support;

/// <summary>
/// Reads a bot's inbox table straight from its SQLite file: how many updates it has finished with (answered or not),
/// the completion signal tests wait on instead of sleeping.
/// </summary>
public static class InboxProbe
{
    /// <summary>Updates marked done, of one platform or all; 0 while the table does not exist yet.</summary>
    public static int Done(string database, string? platform = null)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM inbox WHERE done_at IS NOT NULL AND ($p IS NULL OR platform = $p)";
            command.Parameters.AddWithValue("$p", (object?)platform ?? DBNull.Value);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0; // not created yet, or busy: look again
        }
    }

    /// <summary>The keys stored for a platform, done or not.</summary>
    public static List<string> Keys(string database, string platform)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM inbox WHERE platform = $p ORDER BY key";
        command.Parameters.AddWithValue("$p", platform);
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
            keys.Add(reader.GetString(0));
        return keys;
    }

    /// <summary>Waits until <paramref name="count"/> updates are done.</summary>
    public static Task WaitForDoneAsync(string database, int count, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => Done(database) >= count, $"{count} updates handled", timeout);
}
