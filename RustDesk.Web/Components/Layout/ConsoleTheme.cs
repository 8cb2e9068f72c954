using MudBlazor;

namespace RustDesk.Web.Components.Layout;

/// <summary>RustDesk's blue on Material; one theme for the console and the sign-in pages.</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0071ff",
            AppbarBackground = "#0071ff",
            Secondary = "#5c6bc0",
            Success = "#2e7d32",
            Warning = "#ed6c02",
            Info = "#0288d1",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#4d9bff",
            AppbarBackground = "#1e1e2d",
            Success = "#66bb6a",
            Warning = "#ffa726",
            Info = "#4fc3f7",
        },
    };
}
