using System.CommandLine;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Digest;
using ChatBot.Core.Ingestion;
using ChatBot.Observability;
using ChatBot.OperatorConsole;
using ChatBot.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Cli;

/// <summary>
/// <c>run</c> (also the default): the hosted bot. Ingests the corpus, watches it, and runs every configured chat
/// adapter until stopped; with none configured it says how to configure one and keeps the index current.
/// </summary>
internal sealed partial class RunCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var command = new Command("run", "Run the bot: keep the index current and serve the configured chat platforms.");
        command.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return command;
    }

    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // One serving process per SQLite file: a second `run` refuses to start (PostgreSQL replicas share by design).
        app.Overrides["ChatBot:Store:Exclusive"] = "true";
        return app.WithHostAsync(LogLevel.Information, async (host, ct) =>
        {
            var platforms = host.Services.GetServices<ChatPlatform>().ToList();
            var logger = host.Services.GetRequiredService<ILogger<RunCommand>>();
            if (platforms.Count == 0)
                LogNoAdapter(logger);
            else
                LogAdapters(logger, string.Join(", ", platforms.Select(p => p.Name)));
            await host.WaitForShutdownAsync(ct);
            // A background service that died stops the host: the process must then exit non-zero, so that a process
            // manager restarts it (the adapters themselves never die of a platform failure; see SupervisedAdapter).
            var failed = host.Services.GetServices<IHostedService>().OfType<BackgroundService>()
                .Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
            foreach (var service in failed)
                LogStoppedForError(logger, service.GetType().Name, service.ExecuteTask!.Exception!.GetBaseException().Message);
            return failed.Count == 0 ? CliApp.Ok : CliApp.RuntimeError;
        }, cancellationToken, builder => builder.AddCorpusWatcher().AddSourcePoller().AddDigest().AddConsoleServer().AddObservabilityServer());
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The bot stopped because {Service} failed: {Reason}")]
    private static partial void LogStoppedForError(ILogger logger, string service, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving chat platforms: {Platforms}")]
    private static partial void LogAdapters(ILogger logger, string platforms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No chat platform is configured: set ChatBot:Telegram:Token or ChatBot:Discord:Token (see README.md). The index is kept current meanwhile.")]
    private static partial void LogNoAdapter(ILogger logger);
}
