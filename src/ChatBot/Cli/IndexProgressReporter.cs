using ChatBot.Core.Ingestion;
using Spectre.Console;

namespace ChatBot.Cli;

/// <summary>
/// Runs an ingestion pass; if it takes more than a moment (<see cref="CliApp.ProgressAfter"/>) on an interactive
/// terminal (<see cref="CliApp.Terminal"/>), shows a progress bar (Spectre.Console). Otherwise the pass's own log
/// lines are all there is. The pass runs on the thread pool: much of it is synchronous work (reading files, SQLite),
/// which would otherwise run to its end before the bar could be drawn.
/// </summary>
internal static class IndexProgressReporter
{
    public static async Task<IngestionReport> RunAsync(CliApp app, CorpusIngester ingester, CancellationToken cancellationToken)
    {
        var latest = new LatestProgress();
        var pass = Task.Run(() => ingester.SyncAsync(latest, cancellationToken), cancellationToken);
        if (app.Terminal is not { } terminal)
            return await pass;
        if (app.ProgressAfter > TimeSpan.Zero && await Task.WhenAny(pass, Task.Delay(app.ProgressAfter, cancellationToken)) == pass)
            return await pass;

        await terminal.Progress()
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
        return await pass;
    }

    private sealed class LatestProgress : IProgress<IngestionProgress>
    {
        private IngestionProgress _value;

        public IngestionProgress Value => _value;

        public void Report(IngestionProgress value) => _value = value;
    }
}
