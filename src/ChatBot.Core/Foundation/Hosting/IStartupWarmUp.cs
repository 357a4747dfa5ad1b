namespace ChatBot.Core.Foundation.Hosting;

/// <summary>
/// Something the first question would otherwise wait for (a word list to read), read ahead on another core while the
/// index opens (<see cref="Indexing.IndexOpener.OpenAsync"/> starts every registered one, then opens the index). A
/// warm-up that fails is logged and left to the first question that needs it.
/// </summary>
public interface IStartupWarmUp
{
    void WarmUp();
}
