using System.ComponentModel.DataAnnotations;
using Cronos;

namespace ChatBot.Core.Digest;

public sealed class DigestOptions : IValidatableObject
{
    public const string SectionName = "ChatBot:Digest";

    /// <summary>When digests are posted: a cron expression (5 fields), read in <see cref="TimeZone"/>.</summary>
    public string Schedule { get; set; } = "0 8 * * *";

    /// <summary>IANA time zone of the schedule.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>Where digests go: <c>telegram:&lt;chat id&gt;</c> or <c>discord:&lt;channel id&gt;</c>. Empty: no digest.</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Post a digest that has no new article ("nothing new since…").</summary>
    public bool PostWhenEmpty { get; set; }

    [Range(1, 100)]
    public int MaxArticles { get; set; } = 10;

    /// <summary>Language of the digest's own text: <c>fr</c> or <c>en</c>.</summary>
    [RegularExpression("^(fr|en)$", ErrorMessage = "ChatBot:Digest:Language must be 'fr' or 'en'.")]
    public string Language { get; set; } = "fr";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronExpression.TryParse(Schedule, out _))
            yield return new ValidationResult($"ChatBot:Digest:Schedule '{Schedule}' is not a valid cron expression (five fields, e.g. '0 8 * * *').", [nameof(Schedule)]);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return new ValidationResult($"ChatBot:Digest:TimeZone '{TimeZone}' is not a known IANA time zone (e.g. 'Europe/Paris').", [nameof(TimeZone)]);
        foreach (var target in Targets.Where(t => !DigestTarget.TryParse(t, out _)))
            yield return new ValidationResult($"ChatBot:Digest:Targets entry '{target}' must be 'telegram:<chat id>' or 'discord:<channel id>'.", [nameof(Targets)]);
    }
}
