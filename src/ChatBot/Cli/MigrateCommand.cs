using System.CommandLine;
using System.Globalization;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Storage.Postgres;
using ChatBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Cli;

/// <summary>
/// <c>migrate --from sqlite --to postgres</c> (or back): copies the index between stores without embedding anything
/// again. The SQLite file is <c>ChatBot:Store:Path</c> (or <c>--sqlite-path</c>), the database
/// <c>ChatBot:Store:ConnectionString</c> (or <c>--connection-string</c>).
/// </summary>
internal sealed class MigrateCommand(CliApp app) : ICliCommand
{
    private static readonly string[] Providers = ["sqlite", "postgres"];

    public Command Create()
    {
        var from = new Option<string>("--from") { Description = "The store to copy from: sqlite or postgres.", Required = true };
        var to = new Option<string>("--to") { Description = "The store to copy to: sqlite or postgres.", Required = true };
        from.AcceptOnlyFromAmong(Providers);
        to.AcceptOnlyFromAmong(Providers);
        var sqlitePath = new Option<string?>("--sqlite-path") { Description = "The SQLite index file (default: ChatBot:Store:Path)." };
        var connection = new Option<string?>("--connection-string") { Description = "The PostgreSQL connection string (default: ChatBot:Store:ConnectionString)." };
        var command = new Command("migrate", "Copy the index between SQLite and PostgreSQL, vectors included (nothing is embedded again).") { from, to, sqlitePath, connection };
        command.Validators.Add(result =>
        {
            // Raw tokens: an unknown store name is reported by the option itself.
            if (result.GetResult(from)?.Tokens.SingleOrDefault()?.Value is { } f && f == result.GetResult(to)?.Tokens.SingleOrDefault()?.Value)
                result.AddError("--from and --to must name different stores.");
        });
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(from)!, result.GetValue(to)!, result.GetValue(sqlitePath), result.GetValue(connection), cancellationToken));
        return command;
    }

    private Task<int> RunAsync(string from, string to, string? sqlitePath, string? connectionString, CancellationToken cancellationToken)
    {
        if (sqlitePath is not null)
            app.Overrides["ChatBot:Store:Path"] = Path.GetFullPath(sqlitePath);
        if (connectionString is not null)
            app.Overrides["ChatBot:Store:ConnectionString"] = connectionString;
        return app.WithHostAsync(LogLevel.Warning, async (host, ct) =>
        {
            var options = host.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                await app.Error.WriteLineAsync("error: no PostgreSQL database: set ChatBot:Store:ConnectionString or pass --connection-string.");
                return CliApp.UsageError;
            }
            await using var source = Open(from, options, host.Services);
            await using var target = Open(to, options, host.Services);
            var report = await IndexCopier.CopyAsync(source, target, progress: null, ct);
            await app.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Copied {report.Articles} articles ({report.Chunks} chunks, vectors of {report.Embedder.Id}) from {source.Location} to {target.Location} in {report.Elapsed.TotalSeconds:0.0} s; nothing was embedded again."));
            if (report.AlreadyThere > 0)
                await app.Out.WriteLineAsync($"{report.AlreadyThere} articles were already there with the same text.");
            if (report.OnlyInTarget > 0)
                await app.Out.WriteLineAsync($"{report.OnlyInTarget} articles of {target.Location} are not in the source; they were left as they are.");
            return CliApp.Ok;
        }, cancellationToken, builder => builder.WithoutIndexAtStartup());
    }

    private static IIndexStore Open(string provider, StoreOptions options, IServiceProvider services)
    {
        var analyzer = services.GetRequiredService<TextAnalyzer>();
        var time = services.GetRequiredService<TimeProvider>();
        // A copy reads vectors from the database, never from memory: neither store loads them.
        return provider == "sqlite"
            ? new SqliteIndexStore(options.Path, analyzer, time)
            : new PostgresIndexStore(options, analyzer, time);
    }
}
