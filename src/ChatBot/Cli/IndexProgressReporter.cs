using ChatBot.Core.Ingestion;
using Spectre.Console;

namespace ChatBot.Cli;

/// <summary>
/// Runs an ingestion pass; if it takes more than a moment on an interactive terminal, shows a progress bar
/// (Spectre.Console). Otherwise the pass's own log lines are all there is.
/// </summary>
internal static class IndexProgressReporter
{
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(600);

    public static async Task<IngestionReport> RunAsync(CliApp app, CorpusIngester ingester, CancellationToken cancellationToken)
    {
        var latest = new LatestProgress();
        var pass = ingester.SyncAsync(latest, cancellationToken);
        var interactive = ReferenceEquals(app.Out, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive || await Task.WhenAny(pass, Task.Delay(Moment, cancellationToken)) == pass)
            return await pass;

        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Indexing the corpus");
                while (!pass.IsCompleted)
                {
                    var current = latest.Value;
                    task.MaxValue = Math.Max(1, current.Total);
                    task.Value = current.Done;
                    await Task.WhenAny(pass, Task.Delay(100, cancellationToken));
                }
                task.Value = task.MaxValue;
            });
        var report = await pass;
        await app.Out.WriteLineAsync($"Indexed: {report}");
        return report;
    }

    private sealed class LatestProgress : IProgress<IngestionProgress>
    {
        private IngestionProgress _value;

        public IngestionProgress Value => _value;

        public void Report(IngestionProgress value) => _value = value;
    }
}
