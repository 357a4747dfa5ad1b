namespace ChatBot.Core.Indexing;

/// <summary>The index cannot be used as it is; the message names the file and what to do about it.</summary>
public sealed class IndexStoreException : Exception
{
    public IndexStoreException(string message) : base(message) { }

    public IndexStoreException(string message, Exception inner) : base(message, inner) { }

    public IndexStoreException() { }
}
