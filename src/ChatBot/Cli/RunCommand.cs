using System.CommandLine;
using ChatBot.Core.Extensions;
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

    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        app.WithHostAsync(LogLevel.Information, async (host, ct) =>
        {
            var logger = host.Services.GetService(typeof(ILogger<RunCommand>)) as ILogger<RunCommand>;
            if (logger is not null)
                LogNoAdapter(logger);
            await host.WaitForShutdownAsync(ct);
            return CliApp.Ok;
        }, cancellationToken, builder => builder.AddCorpusWatcher());

    [LoggerMessage(Level = LogLevel.Warning, Message = "No chat platform is configured: set ChatBot:Telegram:Token or ChatBot:Discord:Token (see README.md). The index is kept current meanwhile.")]
    private static partial void LogNoAdapter(ILogger logger);
}
