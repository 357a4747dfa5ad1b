using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Conversation.Memory;

public sealed class ConversationOptions
{
    public const string SectionName = "ChatBot:Conversations";

    /// <summary>Earlier exchanges kept per conversation.</summary>
    [Range(0, 50)]
    public int MaxTurns { get; set; } = 6;

    /// <summary>A reply to an answer older than this starts a new conversation; older history is deleted.</summary>
    [Range(1, 24 * 365)]
    public int TtlHours { get; set; } = 24;

    /// <summary>Question and answer text kept with feedback is deleted after this many days (the votes stay).</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>Off: questions and answers are never written to disk (history lives in memory and ends with the process).</summary>
    public bool StoreQuestions { get; set; } = true;
}
