using System.Net;

namespace ChatBot.Discord.Client.Rest;

/// <summary>Discord answered a REST call with an error that retrying will not fix.</summary>
public sealed class DiscordApiException : Exception
{
    public DiscordApiException(HttpStatusCode status, string message) : base(message) => Status = status;

    public DiscordApiException() { }

    public DiscordApiException(string message) : base(message) { }

    public DiscordApiException(string message, Exception inner) : base(message, inner) { }

    public HttpStatusCode Status { get; }
}
