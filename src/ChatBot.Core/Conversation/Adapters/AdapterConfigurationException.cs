namespace ChatBot.Core.Conversation.Adapters;

/// <summary>
/// An adapter cannot run as configured (a rejected token, a refused intent): retrying cannot help, so the adapter is
/// parked. The message names the setting to fix.
/// </summary>
public sealed class AdapterConfigurationException : Exception
{
    public AdapterConfigurationException(string message) : base(message) { }

    public AdapterConfigurationException(string message, Exception inner) : base(message, inner) { }

    public AdapterConfigurationException() { }
}
