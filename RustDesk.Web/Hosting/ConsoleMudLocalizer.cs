using Microsoft.Extensions.Localization;
using MudBlazor;
using RustDesk.Web.Resources;

namespace RustDesk.Web.Hosting;

/// <summary>
/// MudBlazor's own texts (pager, date picker, close buttons, loading) in the console's languages: MudBlazor asks this
/// localizer for every culture but its built-in English, and the console answers from <c>Strings.resx</c> under
/// "Mud.&lt;MudBlazor key&gt;". A key the console does not translate falls back to MudBlazor's English.
/// </summary>
public sealed class ConsoleMudLocalizer(IStringLocalizer<Strings> strings) : MudLocalizer
{
    public const string Prefix = "Mud.";

    public override LocalizedString this[string key]
    {
        get
        {
            var text = strings.GetString(Prefix + key);
            return new LocalizedString(key, text.ResourceNotFound ? key : text.Value, text.ResourceNotFound);
        }
    }
}
