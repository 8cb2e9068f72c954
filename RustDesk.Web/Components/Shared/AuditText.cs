using System.Globalization;
using Microsoft.Extensions.Localization;
using RustDesk.Core.Audit;
using RustDesk.Core.Sessions;
using RustDesk.Web.Resources;

namespace RustDesk.Web.Components.Shared;

/// <summary>How an audit event reads in the console: shared by the audit page and the Security tab's recent activity.</summary>
public static partial class AuditText
{
    /// <summary>
    /// The localized label of <paramref name="kind"/> ("Audit.Kind.&lt;kind&gt;"); a kind without one (written by a
    /// newer version, or added without a label) shows as stored rather than as a key or a blank.
    /// </summary>
    public static string KindLabel(IStringLocalizer<Strings> localizer, string kind)
    {
        var label = localizer["Audit.Kind." + kind];
        return label.ResourceNotFound ? kind : label.Value;
    }

    /// <summary>
    /// The event's detail as readable text in the reader's language: a structured detail through "Audit.Detail.&lt;key&gt;"
    /// with each argument translated where "Audit.Arg.&lt;arg&gt;" (or a kind label, or a role's name) exists, a list of
    /// such words ("Administrator, User") word by word, and a name someone chose shown as written; free text and rows written
    /// before details had keys show as stored. An aggregate row (a flood of failed attempts) adds how many attempts it
    /// stands for. Times inside a detail (stored as <c>yyyy-MM-dd HH:mm UTC</c>, e.g. when a lockout ends) show in
    /// <paramref name="zone"/> as every other time does.
    /// </summary>
    public static string Detail(IStringLocalizer<Strings> localizer, AuditEvent e, BrowserTimeZone? zone = null)
    {
        var text = e.Detail;
        if (!string.IsNullOrEmpty(e.DetailKey))
        {
            // GetString rather than the indexer with arguments: the number of arguments varies with the key.
            var template = localizer.GetString("Audit.Detail." + e.DetailKey);
            var literalFirst = AuditDetails.KeysWithLiteralFirstArgument.Contains(e.DetailKey);
            var args = e.DetailArguments()
                .Select((a, i) => (object)(literalFirst && i == 0 ? a : StoredTime(a, zone) ?? Argument(localizer, a))).ToArray();
            if (!template.ResourceNotFound && Placeholders(template.Value) <= args.Length)
            {
                text = string.Format(CultureInfo.CurrentCulture, template.Value, args);
            }
        }
        return e.Count > 1 ? $"{text} ({localizer["Audit.Count", e.Count]})" : text;
    }

    /// <summary>An argument that is a time as Core's AuditDetail stores it, in the reader's zone and format; otherwise null.</summary>
    private static string? StoredTime(string arg, BrowserTimeZone? zone) =>
        DateTime.TryParseExact(arg, "yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc)
            ? zone?.DateTime(utc) ?? LocalTimeFormat.DateTime(utc, TimeZoneInfo.Utc, CultureInfo.CurrentCulture)
            : null;

    /// <summary>An argument in the reader's language, or as stored when it is no word the console knows.</summary>
    private static string Argument(IStringLocalizer<Strings> localizer, string arg)
    {
        if (Word(localizer, arg) is { } word)
        {
            return word;
        }
        // A list (the roles of a staff change): translated word by word, or shown as stored when a part is unknown.
        var parts = arg.Split(", ");
        if (parts.Length > 1 && parts.Select(p => Word(localizer, p)).ToList() is var words && words.All(w => w is not null))
        {
            return string.Join(", ", words);
        }
        return arg;
    }

    /// <summary>The resource that translates a detail's argument (a step, budget, method or reason): "Audit.Arg.&lt;arg&gt;", spaces as dashes.</summary>
    public static string ArgumentKey(string arg) => "Audit.Arg." + arg.Replace(' ', '-');

    private static string? Word(IStringLocalizer<Strings> localizer, string arg)
    {
        foreach (var key in (string[])[ArgumentKey(arg), "Audit.Kind." + arg, "Role." + arg])
        {
            var translated = localizer.GetString(key);
            if (!translated.ResourceNotFound)
            {
                return translated.Value;
            }
        }
        return null;
    }

    /// <summary>The resource of a fixed actor name (<see cref="AuditActors"/>): "Audit.Actor.&lt;name&gt;" with spaces and parentheses dropped.</summary>
    public static string ActorKey(string actorName) =>
        "Audit.Actor." + actorName.Trim('(', ')').Replace(' ', '-');

    /// <summary>
    /// Who did it: a user's name as it was then, or a fixed name the application writes for no user (the command line,
    /// the system, an unknown user name) in the reader's language.
    /// </summary>
    public static string Actor(IStringLocalizer<Strings> localizer, AuditEvent e)
    {
        if (e.ActorUserId is null && AuditActors.All.Contains(e.ActorName))
        {
            var name = localizer.GetString(ActorKey(e.ActorName));
            return name.ResourceNotFound ? e.ActorName : name.Value;
        }
        return e.ActorName;
    }

    /// <summary>How many arguments a template needs (highest placeholder + 1), so a mismatched row falls back instead of throwing.</summary>
    private static int Placeholders(string template)
    {
        var needed = 0;
        for (var i = 0; i < template.Length - 1; i++)
        {
            if (template[i] == '{' && char.IsAsciiDigit(template[i + 1]))
            {
                needed = Math.Max(needed, template[i + 1] - '0' + 1);
            }
        }
        return needed;
    }

    /// <summary>"Chrome on Windows" from the stored User-Agent; empty when there was none (the command line).</summary>
    public static string Browser(IStringLocalizer<Strings> localizer, string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "";
        }
        // A RustDesk client's recorded description ("RustDesk client on Windows, id 123456789", Core's words) in the
        // reader's language, as the devices tab names it.
        if (ClientDescription().Match(userAgent) is { Success: true } client)
        {
            var os = client.Groups["os"].Success ? client.Groups["os"].Value : localizer["Devices.UnknownSystem"].Value;
            return localizer["Devices.RustDeskClient", os, client.Groups["id"].Value];
        }
        var agent = UserAgentDescription.Parse(userAgent);
        var browser = string.IsNullOrEmpty(agent.Browser) ? localizer["Devices.UnknownBrowser"].Value : agent.Browser;
        return string.IsNullOrEmpty(agent.OperatingSystem) ? browser : localizer["Devices.BrowserOnOs", browser, agent.OperatingSystem];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^RustDesk [^,]*?(?: on (?<os>[^,]+))?, id (?<id>.*)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ClientDescription();
}
