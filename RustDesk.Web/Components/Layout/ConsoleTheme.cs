using MudBlazor;

namespace RustDesk.Web.Components.Layout;

/// <summary>
/// RustDesk's blue on Material; one theme for the console and the sign-in pages. Every colour meets WCAG AA against
/// the surfaces it is used on (4.5:1 for text, 3:1 for controls), checked by axe in <c>AccessibilityBrowserTests</c>:
/// in light mode the colours are dark enough for white text and for text on white; in dark mode they are light enough
/// for text on the dark surfaces, so filled buttons and chips carry near-black text instead of white.
/// </summary>
public static class ConsoleTheme
{
    private const string OnLight = "#ffffff";
    private const string OnDark = "#121212";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#005fd6",
            PrimaryContrastText = OnLight,
            AppbarBackground = "#005fd6",
            Secondary = "#3f51b5",
            Success = "#276b2b",
            Warning = "#a85100",
            Info = "#01579b",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#70b0ff",
            PrimaryContrastText = OnDark,
            AppbarBackground = "#1e1e2d",
            // MudBlazor's 50 % white is 4.2:1 on its dark surface; 70 % is 7:1.
            TextSecondary = "rgba(255,255,255,0.70)",
            Secondary = "#9fa8da",
            SecondaryContrastText = OnDark,
            Success = "#66bb6a",
            SuccessContrastText = OnDark,
            Warning = "#ffa726",
            WarningContrastText = OnDark,
            Info = "#4fc3f7",
            InfoContrastText = OnDark,
            Error = "#ff8a80",
            ErrorContrastText = OnDark,
        },
    };
}
