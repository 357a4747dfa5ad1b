using System.CommandLine;
using System.Reflection;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Cli;

/// <summary>
/// The command line: <c>ask</c>, <c>index</c>, <c>search</c>, <c>eval</c>, <c>chat</c>, and <c>run</c> (the default, the
/// hosted bot). Exit codes: 0 ok, 2 usage error, 1 runtime error with a message naming the file or setting at fault.
/// </summary>
public sealed class CliApp(TextWriter output, TextWriter error, string? contentRoot = null, TextReader? input = null)
{
    public const int Ok = 0;
    public const int RuntimeError = 1;
    public const int UsageError = 2;

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public TextReader In { get; } = input ?? Console.In;
    public string ContentRoot { get; } = contentRoot ?? ContentRootLocator.Find();

    /// <summary>Settings given on the command line (e.g. <c>--corpus</c>), applied over appsettings.json and the environment.</summary>
    public Dictionary<string, string?> Overrides { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The terminal that progress bars are drawn on: the process's own when its output is an interactive terminal
    /// (null otherwise: redirected to a file or a pipe, nothing is drawn). Tests give a recording one.
    /// </summary>
    public Spectre.Console.IAnsiConsole? Terminal { get; init; } =
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive
            ? Spectre.Console.AnsiConsole.Console
            : null;

    /// <summary>How long a long-running step (indexing) runs before its progress bar appears.</summary>
    public TimeSpan ProgressAfter { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Extra service registrations (tests swap in fakes at the network edge).</summary>
    public Action<HostApplicationBuilder>? ConfigureHost { get; init; }

    public async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Questions and answers over a news corpus, on the command line or as a Discord/Telegram bot.");
        foreach (var command in new ICliCommand[] { new AskCommand(this), new IndexCommand(this), new SearchCommand(this), new SummaryCommand(this), new DigestCommand(this), new EvalCommand(this), new ChatCommand(this), new MigrateCommand(this), new RunCommand(this) })
            root.Subcommands.Add(command.Create());
        root.SetAction((_, cancellationToken) => new RunCommand(this).RunAsync(cancellationToken));

        // A question is text: one starting with '@' (a mention pasted from a chat) is not a response file.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
                await Error.WriteLineAsync($"error: {parseError.Message}");
            await Error.WriteLineAsync("Run with --help for usage.");
            return UsageError;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = Out, Error = Error });
    }

    /// <summary>Builds and starts the host (validating every setting), runs <paramref name="action"/>, maps failures to exit codes.</summary>
    public async Task<int> WithHostAsync(LogLevel logLevel, Func<IHost, CancellationToken, Task<int>> action, CancellationToken cancellationToken, Action<HostApplicationBuilder>? configure = null)
    {
        try
        {
            var overrides = new Dictionary<string, string?>(Overrides, StringComparer.OrdinalIgnoreCase);
            var builder = BotHost.CreateBuilder(ContentRoot, overrides, logLevel);
            configure?.Invoke(builder);
            ConfigureHost?.Invoke(builder);
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            try
            {
                return await action(host, cancellationToken);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Ok;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // "Failed to convert configuration value 'abc' at 'ChatBot:Retrieval:TopK' to type 'System.Int32'."
            var key = System.Text.RegularExpressions.Regex.Match(ex.Message, "at '([^']+)'").Groups[1].Value;
            await Error.WriteLineAsync($"error: invalid setting: {ex.Message.TrimEnd('.')} (environment: {key.Replace(":", "__", StringComparison.Ordinal)}).");
            return RuntimeError;
        }
        catch (OptionsValidationException ex)
        {
            await Error.WriteLineAsync($"error: invalid setting in {SectionOf(ex.OptionsType)}: {string.Join(" ", ex.Failures)}");
            return RuntimeError;
        }
        catch (Exception ex) when (ex is IndexStoreException or CorpusNotFoundException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await Error.WriteLineAsync($"error: {ex.Message}");
            return RuntimeError;
        }
    }

    private static string SectionOf(Type optionsType) =>
        optionsType.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string ?? optionsType.Name;
}

/// <summary>One verb of the command line.</summary>
public interface ICliCommand
{
    Command Create();
}
