using System.ComponentModel.DataAnnotations;

namespace ChatBot.OperatorConsole;

/// <summary>Settings of the operator console (section <c>ChatBot:Console</c>).</summary>
public sealed class ConsoleOptions : IValidatableObject
{
    public const string Section = "ChatBot:Console";
    public const int MinimumTokenLength = 32;

    /// <summary>Where the console listens, e.g. <c>http://127.0.0.1:8080</c>; empty (the default) turns it off.</summary>
    public string? Listen { get; set; }

    /// <summary>The admin token that opens a session; at least 32 characters.</summary>
    public string? Token { get; set; }

    /// <summary>How long a session lasts after login.</summary>
    public double SessionHours { get; set; } = 12;

    /// <summary>Days of questions the console reads (charts, content gaps, citations).</summary>
    public int Days { get; set; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Listen);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
            yield break;
        if ((Token?.Trim().Length ?? 0) < MinimumTokenLength)
            yield return new ValidationResult($"ChatBot:Console:Token (environment: ChatBot__Console__Token) must hold at least {MinimumTokenLength} characters when ChatBot:Console:Listen is set.");
        if (!Uri.TryCreate(Listen, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            yield return new ValidationResult("ChatBot:Console:Listen must be an http(s) address to listen on, e.g. http://127.0.0.1:8080.");
        if (SessionHours <= 0)
            yield return new ValidationResult("ChatBot:Console:SessionHours must be positive.");
        if (Days < 1)
            yield return new ValidationResult("ChatBot:Console:Days must be at least 1.");
    }
}
