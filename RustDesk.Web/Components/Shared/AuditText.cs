using Microsoft.Extensions.Localization;
using RustDesk.Core.Audit;
using RustDesk.Core.Sessions;
using RustDesk.Web.Resources;

namespace RustDesk.Web.Components.Shared;

/// <summary>How an audit event reads in the console: shared by the audit page and the Security tab's recent activity.</summary>
public static class AuditText
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

    /// <summary>The event's detail; an aggregate row (a flood of failed attempts) adds how many attempts it stands for.</summary>
    public static string Detail(IStringLocalizer<Strings> localizer, AuditEvent e) =>
        e.Count > 1 ? $"{e.Detail} ({localizer["Audit.Count", e.Count]})" : e.Detail;

    public static string Time(IStringLocalizer<Strings> localizer, AuditEvent e) => localizer["Audit.Time", e.At];

    /// <summary>"Chrome on Windows" from the stored User-Agent; empty when there was none (the command line).</summary>
    public static string Browser(IStringLocalizer<Strings> localizer, string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "";
        }
        var agent = UserAgentDescription.Parse(userAgent);
        var browser = string.IsNullOrEmpty(agent.Browser) ? localizer["Devices.UnknownBrowser"].Value : agent.Browser;
        return string.IsNullOrEmpty(agent.OperatingSystem) ? browser : localizer["Devices.BrowserOnOs", browser, agent.OperatingSystem];
    }
}
