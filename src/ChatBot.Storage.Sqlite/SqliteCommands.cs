using Microsoft.Data.Sqlite;

namespace ChatBot.Storage.Sqlite;

/// <summary>A statement with its named parameters in one call, for the stores that keep their tables in the index file.</summary>
internal static class SqliteCommands
{
    /// <summary>A command on <paramref name="connection"/>; a null value is bound as SQL NULL.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
