using System.CommandLine;
using ChatBot.Core.Answering;
using ChatBot.Core.Digest;
using ChatBot.Core.Foundation.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Cli;

/// <summary>
/// <c>digest --dry-run [--target T]</c>: prints the digest the bot would post now (for a target: since its last
/// digest; otherwise the last 24 hours). Posting is the running bot's job, through the ledger.
/// </summary>
internal sealed class DigestCommand(CliApp app) : ICliCommand
{
    public Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the digest instead of posting it (required: the running bot posts)." };
        var target = new Option<string?>("--target") { Description = "A target of ChatBot:Digest:Targets, e.g. telegram:-1001234567890." };
        var command = new Command("digest", "Print the current digest of new articles.") { dryRun, target };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(dryRun), result.GetValue(target), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(bool dryRun, string? target, CancellationToken cancellationToken)
    {
        if (target is not null && !DigestTarget.TryParse(target, out _))
        {
            await app.Error.WriteLineAsync($"error: --target '{target}' must be 'telegram:<chat id>' or 'discord:<channel id>' (as in ChatBot:Digest:Targets).");
            return CliApp.UsageError;
        }
        if (!dryRun)
        {
            await app.Error.WriteLineAsync("error: digests are posted by the running bot (`run`), once per period; use `digest --dry-run` to print the current one.");
            return CliApp.UsageError;
        }
        return await app.WithHostAsync(LogLevel.Warning, async (host, ct) =>
        {
            if (!await CliHelpers.EnsureIndexAsync(app, host, ct))
                return CliApp.RuntimeError;
            var options = host.Services.GetRequiredService<IOptions<DigestOptions>>().Value;
            var time = host.Services.GetRequiredService<TimeProvider>();
            var since = time.GetUtcNow() - Core.Digest.Commands.DigestCommandHandler.Window;
            var language = options.Language == "en" ? Language.English : Language.French;
            if (target is not null)
            {
                var last = await host.Services.GetRequiredService<IDigestLedger>().LastDeliveredAsync(target, ct);
                if (last is null)
                {
                    // What the bot does for a target it has never posted to: it records a starting point and posts
                    // nothing, so that the first digest is not the whole corpus.
                    await app.Out.WriteLineAsync(BotMessages.Get("digest.baseline", language, target));
                    return CliApp.Ok;
                }
                since = last.UpdatedAt;
            }
            var digest = await host.Services.GetRequiredService<DigestBuilder>().BuildAsync(since, options.MaxArticles, language, ct);
            await app.Out.WriteLineAsync(digest.Text);
            return CliApp.Ok;
        }, cancellationToken);
    }
}
