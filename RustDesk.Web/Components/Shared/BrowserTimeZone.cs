using Microsoft.JSInterop;

namespace RustDesk.Web.Components.Shared;

/// <summary>
/// The time zone of the browser behind this circuit, read once from <c>Intl.DateTimeFormat().resolvedOptions().timeZone</c>
/// (by the layout, after its first render). Until then, and when the browser names no zone that this server knows,
/// times show in UTC and say so. Components that show times render <see cref="LocalTime"/>, which follows <see cref="Changed"/>.
/// </summary>
public sealed class BrowserTimeZone
{
    private bool _detected;

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public event Action? Changed;

    public async Task DetectAsync(IJSRuntime js)
    {
        if (_detected)
        {
            return;
        }
        _detected = true;
        var id = await js.InvokeAsync<string?>("rdConsole.timeZone");
        if (!string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            Use(zone);
        }
    }

    /// <summary>Sets the zone (the detection above, or a test).</summary>
    public void Use(TimeZoneInfo zone)
    {
        Zone = zone;
        Changed?.Invoke();
    }
}
