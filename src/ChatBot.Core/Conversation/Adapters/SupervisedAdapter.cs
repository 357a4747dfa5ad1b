using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Adapters;

/// <summary>
/// A chat adapter that stays up when its platform does not: any failure other than a configuration error restarts
/// it after a capped exponential backoff with jitter, forever, with one log line per attempt; a configuration error
/// (<see cref="AdapterConfigurationException"/>) parks it with a message naming the setting, and the rest of the bot
/// keeps running. A run that reports itself <see cref="Connected"/> starts the backoff over.
/// </summary>
public abstract partial class SupervisedAdapter(string platform, IOptions<AdapterOptions> options, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failures;

    /// <summary>The clock every wait of the adapter uses (a fake one in tests).</summary>
    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    /// <summary>The supervisor's settings (backoff steps, shutdown grace).</summary>
    protected AdapterOptions Settings => options.Value;

    /// <summary>The platform's name, for logs ("Telegram", "Discord").</summary>
    public string Platform { get; } = platform;

    public AdapterState State { get; private set; } = AdapterState.Starting;

    /// <summary>How many times the adapter was restarted after a failure.</summary>
    public int Restarts { get; private set; }

    /// <summary>The message of the configuration error that parked the adapter.</summary>
    /// <summary>What an operator wants to see besides the state (mode, shard, latency, last update), as label/value pairs.</summary>
    public virtual IReadOnlyList<(string Label, string Value)> Details => [];

    public string? ParkedBecause { get; private set; }

    /// <summary>When the pending restart is due on the adapter's clock; null while none is pending.</summary>
    public DateTimeOffset? RestartDue { get; private set; }

    /// <summary>Completes when the adapter next reports itself connected.</summary>
    public Task NextConnected
    {
        get
        {
            lock (_lock)
                return _connected.Task;
        }
    }

    /// <summary>One run: connects and serves until <paramref name="stoppingToken"/> fires; throws when it fails.</summary>
    protected abstract Task RunOnceAsync(CancellationToken stoppingToken);

    /// <summary>What the failure means for the configuration: a message naming the setting, or null when a restart may help.</summary>
    protected virtual string? ConfigurationError(Exception failure) => failure is AdapterConfigurationException ? failure.Message : null;

    /// <summary>Called by the run once the platform answers: the next failure's backoff starts from the first step.</summary>
    protected void Connected()
    {
        State = AdapterState.Running;
        Interlocked.Exchange(ref _failures, 0);
        TaskCompletionSource done;
        lock (_lock)
        {
            done = _connected;
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host starts the other services meanwhile
        while (!stoppingToken.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // whatever broke the run, the adapter restarts (or parks); the process stays up
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
            }
            if (stoppingToken.IsCancellationRequested)
                break;
            if (failure is not null && ConfigurationError(failure) is { } setting)
            {
                State = AdapterState.Parked;
                ParkedBecause = setting;
                LogParked(Logger, setting, Platform);
                return;
            }
            var attempt = Interlocked.Increment(ref _failures);
            var delay = Backoff(attempt);
            State = AdapterState.Restarting;
            Restarts++;
            LogRestarting(Logger, Platform, Reason(failure), delay.TotalSeconds, attempt);
            if (failure is not null)
                LogFailureDetail(Logger, failure, Platform);
            var wait = Task.Delay(delay, Time, stoppingToken);
            RestartDue = Time.GetUtcNow() + delay;
            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            finally
            {
                RestartDue = null;
            }
            State = AdapterState.Starting;
        }
        State = AdapterState.Stopped;
    }

    /// <summary>The first step, doubling per consecutive failure up to the cap, each ±20 %.</summary>
    private TimeSpan Backoff(int attempt) =>
        new Foundation.Concurrency.Backoff(options.Value.InitialRestartDelay, options.Value.MaxRestartDelay, Jitter: 0.2).Delay(attempt);

    /// <summary>One line: the failure's own message (and its cause's), never a stack trace at the warning level.</summary>
    private static string Reason(Exception? failure)
    {
        if (failure is null)
            return "the connection ended";
        var message = failure.Message.TrimEnd('.');
        if (failure.InnerException is { } inner && !message.Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal))
            message += ": " + inner.Message.TrimEnd('.');
        return message.ReplaceLineEndings(" ");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} adapter failed ({Reason}); restarting in {Seconds:0.#} s (attempt {Attempt}). The rest of the bot keeps running")]
    private static partial void LogRestarting(ILogger logger, string platform, string reason, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Platform} adapter failure detail")]
    private static partial void LogFailureDetail(ILogger logger, Exception exception, string platform);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Reason} The {Platform} adapter is stopped until the setting is fixed; the rest of the bot keeps running")]
    private static partial void LogParked(ILogger logger, string reason, string platform);
}
