namespace ChatBot.Core.Ingestion;

/// <summary>The configured corpus folder is missing; the message names the folder and the setting.</summary>
public sealed class CorpusNotFoundException : Exception
{
    public CorpusNotFoundException(string message) : base(message) { }

    public CorpusNotFoundException() { }

    public CorpusNotFoundException(string message, Exception inner) : base(message, inner) { }
}
