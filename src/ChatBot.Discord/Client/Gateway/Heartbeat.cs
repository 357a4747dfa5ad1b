using System.Net.WebSockets;

namespace ChatBot.Discord.Client.Gateway;

/// <summary>The heartbeat: the beat loop, zombie detection, and the ACK's round trip.</summary>
public sealed partial class DiscordGatewayClient
{
    private long? _heartbeatSentAt;

    /// <summary>How long Discord took to acknowledge the last heartbeat (null before the first), for the operator console.</summary>
    public TimeSpan? HeartbeatLatency { get; private set; }

    /// <summary>
    /// First beat after interval × jitter, then every interval. A beat due while the previous one is unacknowledged
    /// means the connection is a zombie: it is closed (not with 1000, so the session stays resumable).
    /// </summary>
    private async Task HeartbeatAsync(ClientWebSocket socket, TimeSpan interval, CancellationTokenSource connection)
    {
        var token = connection.Token;
        await WaitAsync(interval * options.Jitter(), "heartbeat", token);
        while (!token.IsCancellationRequested)
        {
            if (!_acknowledged)
            {
                // A zombie may never answer a close either: close best effort, then stop reading.
                await CloseAsync(socket, (WebSocketCloseStatus)4000, "zombie connection");
                await connection.CancelAsync();
                return;
            }
            _acknowledged = false;
            _heartbeatSentAt = time.GetTimestamp();
            await SendHeartbeatAsync(socket, token);
            await WaitAsync(interval, "heartbeat", token);
        }
    }

    /// <summary>Discord acknowledged the last beat (op 11): the connection is alive, and the round trip is measured.</summary>
    private void HeartbeatAcknowledged()
    {
        _acknowledged = true;
        if (_heartbeatSentAt is { } sent)
            HeartbeatLatency = time.GetElapsedTime(sent);
    }
}
