using System.CommandLine;
using System.Globalization;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Cli;

/// <summary>
/// <c>chat</c>: a console conversation through the same core, one question a line (works when piped). Each question
/// continues the conversation (the platforms' <see cref="ConversationMemory"/>, as if each line replied to the last
/// answer): "Et qui l'a rapporté ?" asks about the article just cited.
/// </summary>
internal sealed class ChatCommand(CliApp app) : ICliCommand
{
    private const string Platform = "cli";

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
            var memory = host.Services.GetRequiredService<ConversationMemory>();
            var interactive = ReferenceEquals(app.In, Console.In) && !Console.IsInputRedirected;
            Func<string, string>? bold = ReferenceEquals(app.Out, Console.Out) && !Console.IsOutputRedirected ? s => "\u001b[1m" + s + "\u001b[0m" : null;
            var session = Guid.NewGuid().ToString("N");
            var turn = 0;
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
                var history = turn == 0 ? [] : await memory.HistoryOfAsync(Platform, session, turn.ToString(CultureInfo.InvariantCulture), ct);
                var reply = await answerer.AnswerAsync(new ChatRequest(line) { History = history, Origin = new ChatOrigin(Platform, session, Environment.UserName) }, ct);
                turn++;
                await memory.RememberAsync(Platform, session, [turn.ToString(CultureInfo.InvariantCulture)], history,
                    new ChatTurn(line, reply.Text) { Citations = reply.Citations.Select(c => c.ArticleId).ToList() }, ct);
                await app.Out.WriteLineAsync(ReplyFormatter.PlainText(reply, bold));
                await app.Out.WriteLineAsync();
            }
            return CliApp.Ok;
        }, cancellationToken);
}
