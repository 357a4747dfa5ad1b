using System.Data;
using Dapper;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The small stores' statements through Dapper: parameters from an anonymous object, rows into the core's records by
/// their constructors (columns named as the parameters). Two conversions are registered once for the process:
/// instants are written as UTC <c>timestamptz</c> and read back as <see cref="DateTimeOffset"/>, and string lists are
/// <c>text[]</c>. The hot paths (chunk texts per answer, the loaders, the index writer) keep their hand-written readers:
/// the <c>stores</c> benchmark and the pipeline benchmark measure both.
/// </summary>
internal static class PostgresStatements
{
    static PostgresStatements()
    {
        // Dapper's own mapping of DateTimeOffset would pass the value as it is (Npgsql refuses a non-zero offset):
        // without it, the handler writes the parameters too.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new InstantHandler());
        SqlMapper.AddTypeHandler(new TextArrayHandler());
    }

    public static async Task<int> ExecuteAsync(this PostgresDatabase database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = database.Data.CreateConnection();
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this PostgresDatabase database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = database.Data.CreateConnection();
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }

    public static async Task<T?> QuerySingleOrDefaultAsync<T>(this PostgresDatabase database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = database.Data.CreateConnection();
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    /// <summary><c>timestamptz</c> takes UTC instants only; it reads back as a UTC <see cref="DateTime"/>.</summary>
    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value.ToUniversalTime();
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset instant => instant,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            _ => throw new DataException($"Not an instant: {value.GetType().Name}"),
        };
    }

    /// <summary>Citations and cited articles: a <c>text[]</c> column, a list in the records.</summary>
    private sealed class TextArrayHandler : SqlMapper.TypeHandler<IReadOnlyList<string>>
    {
        public override void SetValue(IDbDataParameter parameter, IReadOnlyList<string>? value) => parameter.Value = value?.ToArray() ?? [];

        public override IReadOnlyList<string> Parse(object value) => value as string[] ?? [];
    }
}
