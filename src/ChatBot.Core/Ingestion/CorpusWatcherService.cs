using System.Threading.Channels;
using ChatBot.Core.Foundation.Replicas;
using ChatBot.Core.Ingestion.Corpus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Ingestion;

/// <summary>
/// Keeps the index current while the host runs: an initial pass, then a pass shortly after files change (debounced),
/// and a full rescan every <see cref="CorpusOptions.RescanMinutes"/> in case the file watcher missed something.
/// A failed pass is logged and retried with backoff; it never stops the host. With several replicas on one database
/// only the leader (<see cref="ILeadership"/>) runs this loop; a replica that loses the lead stops and waits to
/// take it again.
/// </summary>
public sealed partial class CorpusWatcherService(
    CorpusIngester ingester,
    IOptions<CorpusOptions> options,
    ILeadership leadership,
    TimeProvider time,
    ILogger<CorpusWatcherService> logger) : BackgroundService
{
    /// <summary>After a failed pass: 2 s, doubling to 5 minutes.</summary>
    private static readonly Foundation.Concurrency.Backoff Retry = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    private readonly Channel<string> _changes = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Completed passes, for tests and <c>/stats</c>.</summary>
    public int Passes { get; private set; }

    /// <summary>Raised after each completed pass.</summary>
    public event Action<IngestionReport>? PassCompleted;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LeaderLoop.RunAsync(leadership, WatchAsync, stoppingToken, () => LogLeading(logger), () => LogLeadLost(logger));

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        using var watcher = CreateWatcher();
        var failures = 0;
        var rescan = TimeSpan.FromMinutes(options.Value.RescanMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var report = await ingester.SyncAsync(progress: null, stoppingToken);
                Passes++;
                failures = 0;
                PassCompleted?.Invoke(report);
                await WaitForChangeAsync(rescan, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // the loop must survive any failure of one pass; it is logged and retried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                var delay = Retry.Delay(failures);
                LogPassFailed(logger, ex, delay.TotalSeconds);
                try
                {
                    await WaitForChangeAsync(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Waits for a file event (then for the debounce quiet period) or for the timeout, whichever comes first.</summary>
    private async Task WaitForChangeAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            await _changes.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return; // periodic rescan
        }
        var quiet = TimeSpan.FromMilliseconds(options.Value.WatchDebounceMs);
        while (true)
        {
            await Task.Delay(quiet, time, stoppingToken);
            if (!_changes.Reader.TryRead(out _))
                return;
        }
    }

    private FileSystemWatcher? CreateWatcher()
    {
        var folder = ingester.CorpusPath;
        var singleFile = File.Exists(folder);
        if (!singleFile && !Directory.Exists(folder))
            return null; // the pass reports the missing folder; the periodic rescan picks it up once it exists
        var watcher = new FileSystemWatcher(singleFile ? Path.GetDirectoryName(folder)! : folder, singleFile ? Path.GetFileName(folder) : "*")
        {
            IncludeSubdirectories = !singleFile,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        FileSystemEventHandler changed = (_, e) => Signal(e.FullPath);
        watcher.Created += changed;
        watcher.Changed += changed;
        watcher.Deleted += changed;
        watcher.Renamed += (_, e) => Signal(e.FullPath);
        watcher.Error += (_, e) =>
        {
            LogWatcherError(logger, e.GetException());
            Signal(folder);
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void Signal(string path) => _changes.Writer.TryWrite(path);

    [LoggerMessage(Level = LogLevel.Information, Message = "This replica leads: it watches the corpus and keeps the index current")]
    private static partial void LogLeading(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This replica lost the lead; another one keeps the index current until it can take it again")]
    private static partial void LogLeadLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Corpus pass failed; retrying in {Seconds} s")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The corpus file watcher overflowed or failed; a full rescan follows")]
    private static partial void LogWatcherError(ILogger logger, Exception exception);
}
