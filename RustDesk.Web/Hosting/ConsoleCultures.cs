namespace RustDesk.Web.Hosting;

public static class ConsoleCultures
{
    public const string CookieName = "rd.culture";
    public const string ThemeCookieName = "rd.theme";

    /// <summary>English first: it is the default when the browser asks for neither.</summary>
    public static readonly IReadOnlyList<string> Supported = ["en", "de"];
}
