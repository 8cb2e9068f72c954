using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.JSInterop;

namespace RustDesk.Web.Components.Shared;

/// <summary>
/// The time zone of the browser behind this circuit, read once from <c>Intl.DateTimeFormat().resolvedOptions().timeZone</c>
/// (by the layout, after its first render), with the short names the browser gives the zone's offsets in the page's
/// language (e.g. German <c>MEZ</c>/<c>MESZ</c>, English <c>EST</c>/<c>EDT</c>). Until then, and when the browser names
/// no zone that this server knows, times show in UTC and say so. Every component that shows a time re-renders on
/// <see cref="Changed"/>: through <see cref="LocalTime"/> (one instant) or <see cref="InBrowserZone"/> (a time inside a
/// text or a tooltip).
/// </summary>
public sealed partial class BrowserTimeZone
{
    private static readonly IReadOnlyDictionary<TimeSpan, string> NoNames = new Dictionary<TimeSpan, string>();

    private bool _detected;

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The browser's short name of each of the zone's offsets; an offset without a name shows as <c>UTC+1</c>.</summary>
    public IReadOnlyDictionary<TimeSpan, string> Names { get; private set; } = NoNames;

    /// <summary>Raised (on the circuit's thread or not) when the zone became known; subscribers re-render through InvokeAsync.</summary>
    public event Action? Changed;

    /// <param name="js">The circuit's JS runtime.</param>
    /// <param name="nowUtc">Now: the zone's offsets are named for January and July of this year (winter and summer time, either hemisphere).</param>
    public async Task DetectAsync(IJSRuntime js, DateTime nowUtc)
    {
        if (_detected)
        {
            return;
        }
        _detected = true;
        DateTime[] instants =
        [
            new(nowUtc.Year, 1, 15, 12, 0, 0, DateTimeKind.Utc),
            new(nowUtc.Year, 7, 15, 12, 0, 0, DateTimeKind.Utc),
        ];
        var found = await js.InvokeAsync<DetectedZone?>("rdConsole.timeZone", CultureInfo.CurrentCulture.Name,
            instants.Select(i => new DateTimeOffset(i).ToUnixTimeMilliseconds()).ToArray());
        if (!string.IsNullOrEmpty(found?.Id) && TimeZoneInfo.TryFindSystemTimeZoneById(found.Id, out var zone))
        {
            Use(zone, NamesOf(zone, instants, found.Names));
        }
    }

    /// <summary>Sets the zone and the names of its offsets (the detection above, or a test) and tells the subscribers.</summary>
    public void Use(TimeZoneInfo zone, IReadOnlyDictionary<TimeSpan, string>? names = null)
    {
        Zone = zone;
        Names = names ?? NoNames;
        Changed?.Invoke();
    }

    /// <summary>The day of <paramref name="utc"/> in the zone, in the current culture's format.</summary>
    public string Date(DateTime utc) => LocalTimeFormat.Date(utc, Zone, CultureInfo.CurrentCulture);

    /// <summary>Date and time of <paramref name="utc"/> in the zone, in the current culture's format, with the zone named.</summary>
    public string DateTime(DateTime utc) => LocalTimeFormat.DateTime(utc, Zone, CultureInfo.CurrentCulture, Names);

    /// <summary>
    /// The browser's names by offset, keeping only real abbreviations (letters only, at most six): where the browser
    /// has none for the language it says <c>GMT+1</c>, and the console's own <c>UTC+1</c> reads the same in every
    /// language. Anything else a browser might send is ignored, as is a second name for an offset already named.
    /// </summary>
    private static Dictionary<TimeSpan, string> NamesOf(TimeZoneInfo zone, DateTime[] instants, string?[]? names)
    {
        var byOffset = new Dictionary<TimeSpan, string>();
        for (var i = 0; i < instants.Length && i < (names?.Length ?? 0); i++)
        {
            var name = names![i]?.Trim();
            if (name is { Length: > 0 and <= 6 } && Abbreviation().IsMatch(name))
            {
                byOffset.TryAdd(zone.GetUtcOffset(instants[i]), name);
            }
        }
        return byOffset;
    }

    [GeneratedRegex(@"^\p{L}+$", RegexOptions.CultureInvariant)]
    private static partial Regex Abbreviation();

    internal sealed record DetectedZone(string? Id, string?[]? Names);
}
