using System.CommandLine;
using ChatBot.Core.Answering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ChatBot.Core.Chat;

namespace ChatBot.Cli;

/// <summary><c>chat</c>: a console conversation through the same core, one question a line (works when piped).</summary>
internal sealed class ChatCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var command = new Command("chat", "Talk to the bot in the console: one question per line; 'exit' or end of input stops.");
        command.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return command;
    }

    private Task<int> RunAsync(CancellationToken cancellationToken) =>
        app.WithHostAsync(LogLevel.Warning, async (host, ct) =>
        {
            if (!await CliHelpers.EnsureIndexAsync(app, host, ct))
                return CliApp.RuntimeError;
            var answerer = host.Services.GetRequiredService<QuestionAnswerer>();
            var interactive = ReferenceEquals(app.In, Console.In) && !Console.IsInputRedirected;
            if (interactive)
                await app.Out.WriteLineAsync("Posez vos questions (exit pour quitter) / Ask away (exit to quit).");
            while (!ct.IsCancellationRequested)
            {
                if (interactive)
                    await app.Out.WriteAsync("> ");
                var line = await app.In.ReadLineAsync(ct);
                if (line is null || line.Trim() is "exit" or "quit")
                    break;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                var reply = await answerer.AnswerAsync(new ChatRequest(line), ct);
                await app.Out.WriteLineAsync(ReplyFormatter.PlainText(reply));
                await app.Out.WriteLineAsync();
            }
            return CliApp.Ok;
        }, cancellationToken);
}
