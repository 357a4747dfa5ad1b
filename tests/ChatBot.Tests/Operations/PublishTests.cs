using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Operations;

/// <summary>
/// The deployable unit as an operator gets it: <c>dotnet publish</c> of this repository (built apart, in a folder of
/// its own, so the test run's own binaries are untouched), then the published executable started from <c>/</c> with
/// nothing but <c>ChatBot__…</c> environment variables, and the systemd unit checked against it.
/// </summary>
public sealed partial class PublishTests : IDisposable
{
    /// <summary>The bound the README promises for the framework-dependent publish folder.</summary>
    private const long MaxPublishBytes = 120L * 1024 * 1024;

    private static readonly Dictionary<string, string> NoSettings = [];

    private readonly TempFolder _work = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_publish_folder_holds_its_files_stays_small_and_runs_from_any_folder_with_health_and_metrics()
    {
        var repository = RepositoryRoot();
        var output = _work.Combine("publish");
        var (published, log) = await RunAsync("dotnet", repository, NoSettings,
            "publish", Path.Combine(repository, "src", "ChatBot", "ChatBot.csproj"), "-c", "Release",
            "-o", output, "--artifacts-path", _work.Combine("artifacts"), "-nologo");
        Assert.True(published == 0, log);

        // Without -r, as with it: this machine's platform only (the SDK alone would ship 25 platforms' native libraries
        // under runtimes/), with settings, prompts, the sample corpus and the unit beside the executable.
        foreach (var file in new[] { "ChatBot", "ChatBot.dll", "appsettings.json", "prompts/answer.md", "prompts/summary.md", "deploy/chatbot.service" })
            Assert.True(File.Exists(Path.Combine(output, file)), file + " is missing from the publish folder");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "corpus"), "*.txt"));
        Assert.False(Directory.Exists(Path.Combine(output, "runtimes")), "native libraries of other platforms were published");
        Assert.True(File.Exists(Path.Combine(output, "libe_sqlite3.so")));
        Assert.DoesNotContain(Directory.GetDirectories(output).Select(Path.GetFileName), name => name is "de" or "ja" or "zh-Hans");
        // The process settings the benchmarks measured (src/ChatBot.Process.props) ship with it.
        using (var runtime = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "ChatBot.runtimeconfig.json"), Ct)))
        {
            var properties = runtime.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            Assert.Equal(9, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
            Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        }
        var size = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(size < MaxPublishBytes, $"the publish folder is {size / 1048576.0:0.0} MB");

        // Started from / with only ChatBot__ variables: it indexes the sample corpus and answers.
        var state = _work.Combine("state");
        var settings = new Dictionary<string, string> { ["ChatBot__DataDirectory"] = state };
        var executable = Path.Combine(output, "ChatBot");
        var (asked, answer) = await RunAsync(executable, "/", settings, "ask", "Quelles technologies militaires Moscou fournit-elle à Téhéran ?");
        Assert.True(asked == 0, answer);
        Assert.Contains("[1]", answer, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(state, "data", "chatbot.db")), "the index is not in the data directory");

        // run: /healthz, /readyz and /metrics on the configured address, then a clean stop on SIGTERM.
        settings["ChatBot__DataDirectory"] = _work.Combine("service-state");
        settings["ChatBot__Observability__Listen"] = "http://127.0.0.1:0";
        using var bot = Start(executable, "/", settings, "run");
        var url = await bot.ListeningAsync.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", Ct)).StatusCode);
        await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz", Ct)).StatusCode == HttpStatusCode.OK, "/readyz answers 200", TimeSpan.FromSeconds(60));
        // The first pass over the corpus runs beside the endpoints (the index is ready before it ends, on its old content).
        var scraped = "";
        await Eventually.WaitAsync(async () =>
        {
            scraped = await http.GetStringAsync("/metrics", Ct);
            return scraped.Contains("chatbot_ingest_articles_total", StringComparison.Ordinal);
        }, () => "the first pass is counted: " + scraped + bot.Error, TimeSpan.FromSeconds(60));
        var metrics = ObservabilityTests.Parse(scraped);
        Assert.True(metrics.GetValueOrDefault("chatbot_ingest_articles_total{change=\"added\"}") == 5, scraped + bot.Error);
        Assert.Contains(metrics.Keys, k => k.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal));
        Process.Start("kill", ["-TERM", bot.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await bot.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.True(bot.Process.ExitCode == 0, bot.Error);

        // The unit, with ExecStart pointing at this publish folder instead of /opt/chatbot.
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            const string why = "systemd-analyze is not installed (Debian package systemd)";
            if (Environment.GetEnvironmentVariable("CHATBOT_TEST_SYSTEMD_REQUIRED") == "1")
                Assert.Fail(why);
            Assert.Skip(why);
        }
        var unit = _work.Combine("chatbot.service");
        File.WriteAllText(unit, File.ReadAllText(Path.Combine(output, "deploy", "chatbot.service")).Replace("/opt/chatbot", output, StringComparison.Ordinal));
        var (verified, verdict) = await RunAsync(analyze, _work.Path, NoSettings, "verify", unit);
        Assert.True(verified == 0 && verdict.Trim().Length == 0, verdict);
    }

    [Fact]
    public async Task The_systemd_unit_runs_the_published_bot_as_a_hardened_notify_service()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "chatbot.service"), Ct);

        foreach (var line in new[] { "Type=notify", "DynamicUser=yes", "StateDirectory=chatbot", "ProtectSystem=strict", "Restart=on-failure", "ExecStart=/opt/chatbot/ChatBot run" })
            Assert.Contains(line, unit.Split('\n').Select(l => l.Trim()));
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ChatBot.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException("The repository root (ChatBot.sln) is not above " + AppContext.BaseDirectory);
    }

    private static ProcessStartInfo StartInfo(string file, string folder, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what an operator would set: no test-run leftovers pointing the bot elsewhere.
        foreach (var name in new[] { "CHATBOT_ROOT", "STATE_DIRECTORY" })
            start.Environment.Remove(name);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ChatBot__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return start;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string folder, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(file, folder, environment, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        // A publish takes about a minute here, a question a second: ten minutes means something hangs, and says so.
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(10), Ct);
        return (process.ExitCode, await output.WaitAsync(TimeSpan.FromMinutes(1), Ct) + await error.WaitAsync(TimeSpan.FromMinutes(1), Ct));
    }

    private static RunningBot Start(string file, string folder, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        new(Process.Start(StartInfo(file, folder, environment, arguments))!);

    [GeneratedRegex(@"served on (http://\S+) ")]
    private static partial Regex Listening();

    /// <summary>A running bot whose stderr is read line by line: the address it listens on is taken from its log.</summary>
    private sealed class RunningBot : IDisposable
    {
        private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Text.StringBuilder _error = new();

        public RunningBot(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    _listening.TrySetException(new InvalidOperationException("the bot exited before listening:\n" + Error));
                    return;
                }
                lock (_error)
                    _error.AppendLine(e.Data);
                if (Listening().Match(e.Data) is { Success: true } match)
                    _listening.TrySetResult(match.Groups[1].Value);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public Task<string> ListeningAsync => _listening.Task;

        public string Error
        {
            get
            {
                lock (_error)
                    return _error.ToString();
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
