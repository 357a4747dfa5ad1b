namespace ChatBot.Core.Conversation.Adapters;

public enum AdapterState
{
    /// <summary>Connecting (first start, or after a restart).</summary>
    Starting,
    /// <summary>Connected and receiving.</summary>
    Running,
    /// <summary>Failed; waiting for its next restart.</summary>
    Restarting,
    /// <summary>Stopped for a configuration error until the process is restarted with a fixed setting.</summary>
    Parked,
    /// <summary>Stopped with the host.</summary>
    Stopped,
}
