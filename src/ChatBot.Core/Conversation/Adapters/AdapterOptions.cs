using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Conversation.Adapters;

/// <summary>How chat adapters are kept up: restarts after a failure, and how long shutdown waits for answers in flight.</summary>
public sealed class AdapterOptions
{
    public const string SectionName = "ChatBot:Adapters";

    /// <summary>The first restart after a failure waits this long; each further one twice as long (±20 % jitter).</summary>
    [Range(0.01, 3600)]
    public double InitialRestartDelaySeconds { get; set; } = 1;

    /// <summary>The longest wait between two restarts: a platform that comes back is served again within this.</summary>
    [Range(0.01, 3600)]
    public double MaxRestartDelaySeconds { get; set; } = 60;

    /// <summary>At shutdown, answers in flight get this long to be sent; those cut off are handled again at the next start.</summary>
    [Range(0, 600)]
    public double ShutdownGraceSeconds { get; set; } = 20;

    public TimeSpan InitialRestartDelay => TimeSpan.FromSeconds(InitialRestartDelaySeconds);

    public TimeSpan MaxRestartDelay => TimeSpan.FromSeconds(Math.Max(MaxRestartDelaySeconds, InitialRestartDelaySeconds));

    public TimeSpan ShutdownGrace => TimeSpan.FromSeconds(ShutdownGraceSeconds);
}
