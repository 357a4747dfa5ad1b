using Microsoft.Extensions.Hosting;

namespace ChatBot.Core.Indexing;

/// <summary>
/// Opens the index when the host starts. Registered before every other hosted service, so the watcher, the digest,
/// the chat adapters and the console start with the index open; a store that cannot be opened (a corrupt file, an
/// unreachable server) stops the start-up with its one-line message instead of failing the first question.
/// </summary>
public sealed class IndexOpenerService(IndexOpener opener) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => opener.OpenAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
