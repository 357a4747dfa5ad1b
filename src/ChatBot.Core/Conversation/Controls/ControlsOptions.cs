using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Conversation.Controls;

/// <summary>
/// Who may use the bot and how much, the same on every platform. Ids are written <c>platform:id</c>
/// (<c>telegram:123456</c>, <c>discord:987654321</c>); empty lists allow everyone.
/// </summary>
public sealed class ControlsOptions
{
    public const string SectionName = "ChatBot:Controls";

    public List<string> AllowedGuilds { get; set; } = [];
    public List<string> AllowedChats { get; set; } = [];
    public List<string> AllowedUsers { get; set; } = [];

    /// <summary>Users who may run /reindex and /stats, and who have no quota.</summary>
    public List<string> Admins { get; set; } = [];

    [Range(1, 10_000)]
    public int UserQuestionsPerMinute { get; set; } = 5;

    [Range(1, 1_000_000)]
    public int UserQuestionsPerDay { get; set; } = 100;

    [Range(1, 100_000)]
    public int ChannelQuestionsPerMinute { get; set; } = 30;

    /// <summary>
    /// Questions of one chat waiting to be answered, at most: past it the oldest waiting one is dropped (one log line
    /// a minute per chat), so a flood never builds an hours-long backlog nor unbounded memory.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxQueuedPerChat { get; set; } = 20;
}
