using Microsoft.Extensions.Localization;
using RustDesk.Core.ClientApi;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Shared;
using RustDesk.Web.Resources;

namespace RustDesk.Tests.Web.Components.Shared;

/// <summary>How the audit page and recent activity name the browser or RustDesk client of an event, in both languages.</summary>
public sealed class AuditTextTests : ConsoleComponentTest
{
    [Theory]
    [InlineData("en", "windows", "RustDesk client on Windows (ID 123456789)")]
    [InlineData("de", "windows", "RustDesk-Client unter Windows (ID 123456789)")]
    [InlineData("en", "", "RustDesk client on an unknown system (ID 123456789)")]
    [InlineData("de", "", "RustDesk-Client unter einem unbekannten System (ID 123456789)")]
    public void Browser_RustDeskClient_NamedInTheReadersLanguage(string language, string os, string expected)
    {
        using var culture = In(language);
        // The description exactly as Core records it in the session's and the audit event's User-Agent column.
        var recorded = ClientDevice.From("123456789", new ClientDeviceInfo(os, "client", "JANE-PC")).Describe();

        Assert.Equal(expected, AuditText.Browser(Service<IStringLocalizer<Strings>>(), recorded));
    }

    [Theory]
    [InlineData("en", "Firefox on Linux")]
    [InlineData("de", "Firefox unter Linux")]
    public void Browser_BrowsersUserAgent_NamesBrowserAndSystem(string language, string expected)
    {
        using var culture = In(language);

        Assert.Equal(expected, AuditText.Browser(Service<IStringLocalizer<Strings>>(), "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"));
    }
}
