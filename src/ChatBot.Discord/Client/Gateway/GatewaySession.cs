namespace ChatBot.Discord.Client.Gateway;

/// <summary>What a resume needs: the session id and resume URL from READY, and the last sequence number seen.</summary>
public sealed class GatewaySession
{
    public string? SessionId { get; set; }
    public string? ResumeUrl { get; set; }
    public int? Sequence { get; set; }

    public bool CanResume => SessionId is not null && ResumeUrl is not null;

    public void Forget()
    {
        SessionId = null;
        ResumeUrl = null;
        Sequence = null;
    }
}
