namespace RustDesk.Web.Resources;

/// <summary>Marker for the console's UI text: <c>Strings.resx</c> (English) and <c>Strings.de.resx</c> (German).</summary>
public sealed class Strings;
