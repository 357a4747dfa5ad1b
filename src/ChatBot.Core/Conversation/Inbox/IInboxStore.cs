namespace ChatBot.Core.Conversation.Inbox;

/// <summary>
/// An incoming update as it was received: the platform's payload, kept until the reply to it has been sent.
/// <paramref name="Key"/> is the platform's own id for it (a Telegram update id, a Discord message or interaction id),
/// so that a second delivery of the same update is recognised.
/// </summary>
public sealed record InboxItem(string Platform, string Key, string Kind, string Payload, DateTimeOffset ReceivedAt)
{
    /// <summary>How many times a start-up has handed it over (an item that crashes the process comes back each time).</summary>
    public int Attempts { get; init; }
}

/// <summary>Items set aside as unusable (unreadable, or failing every time): how many, and the last one's reason.</summary>
public sealed record ParkedItems(int Count, string? LastReason, DateTimeOffset? LastAt)
{
    public static ParkedItems None { get; } = new(0, null, null);
}

/// <summary>Where incoming updates are kept between being received and being answered (in the index database).</summary>
public interface IInboxStore
{
    /// <summary>Stores the item unless one with its key is already there (pending or done); true when stored now.</summary>
    Task<bool> AcceptAsync(InboxItem item, string owner, CancellationToken cancellationToken);

    /// <summary>Marks the item handled: it is never handled again, and a second delivery of it is ignored.</summary>
    Task CompleteAsync(string platform, string key, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The unfinished items of <paramref name="platform"/> this process should handle, oldest first, now owned by
    /// <paramref name="owner"/>: its own (from before a restart), and those another replica received or claimed more
    /// than <paramref name="takeOverAfter"/> before <paramref name="now"/> (a replica that stopped for good). Each claim
    /// counts one more <see cref="InboxItem.Attempts"/>.
    /// </summary>
    Task<IReadOnlyList<InboxItem>> ClaimPendingAsync(string platform, string owner, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Sets an item aside for good with <paramref name="reason"/>, stored now if it was not (an update that cannot be
    /// read): it counts as done, so it never blocks the items behind it and a second delivery is ignored.
    /// </summary>
    Task ParkAsync(InboxItem item, string owner, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The parked items since <paramref name="since"/> (the console's health page).</summary>
    Task<ParkedItems> ParkedAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Forgets items handled before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
