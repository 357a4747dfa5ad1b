namespace ChatBot.Discord.Client.Gateway;

/// <summary>
/// The heartbeat of a gateway connection: the beat loop (first beat after interval × jitter, then every interval),
/// zombie detection (a beat due while the previous one is unacknowledged) and the ACK's round trip. It owns its state;
/// the client gives it the ways to beat, to close a zombie and to wait on its clock.
/// </summary>
public sealed class GatewayHeartbeat(TimeProvider time, Func<double> jitter)
{
    private volatile bool _acknowledged = true;
    private long? _sentAt;

    /// <summary>How long Discord took to acknowledge the last heartbeat (null before the first), for the operator console.</summary>
    public TimeSpan? Latency { get; private set; }

    /// <summary>A new connection starts acknowledged: its first beat is not a zombie's.</summary>
    public void Reset() => _acknowledged = true;

    /// <summary>Discord acknowledged the last beat (op 11): the connection is alive, and the round trip is measured.</summary>
    public void Acknowledged()
    {
        _acknowledged = true;
        if (_sentAt is { } sent)
            Latency = time.GetElapsedTime(sent);
    }

    /// <summary>
    /// Beats until <paramref name="cancellationToken"/> ends the connection. On a zombie it calls
    /// <paramref name="closeZombie"/> (which closes with a resumable code and cancels the connection) and returns.
    /// </summary>
    public async Task RunAsync(
        TimeSpan interval, Func<CancellationToken, Task> beat, Func<Task> closeZombie,
        Func<TimeSpan, string, CancellationToken, Task> wait, CancellationToken cancellationToken)
    {
        await wait(interval * jitter(), "heartbeat", cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_acknowledged)
            {
                await closeZombie();
                return;
            }
            _acknowledged = false;
            _sentAt = time.GetTimestamp();
            await beat(cancellationToken);
            await wait(interval, "heartbeat", cancellationToken);
        }
    }
}
