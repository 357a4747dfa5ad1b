using System.CommandLine;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Foundation.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Cli;

/// <summary><c>summary "article id, title words or topic"</c>: the same summary as <c>/summary</c> in a chat.</summary>
internal sealed class SummaryCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var input = new Argument<string>("subject") { Description = "An article id, words of its title, or a topic." };
        var command = new Command("summary", "Summarise an article or what the corpus says about a topic.") { input };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(input) ?? "", cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(string subject, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            await app.Error.WriteLineAsync("error: say what to summarise. Usage: summary \"article id, title words or topic\"");
            return CliApp.UsageError;
        }
        return await app.WithHostAsync(LogLevel.Warning, async (host, ct) =>
        {
            if (!await CliHelpers.EnsureIndexAsync(app, host, ct))
                return CliApp.RuntimeError;
            var reply = await host.Services.GetRequiredService<Summarizer>().SummarizeAsync(subject, LanguageDetector.Detect(subject), ct);
            await app.Out.WriteLineAsync(ReplyFormatter.PlainText(reply));
            return CliApp.Ok;
        }, cancellationToken);
    }
}
