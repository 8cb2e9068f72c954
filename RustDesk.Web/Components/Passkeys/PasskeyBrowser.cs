using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using RustDesk.Web.Resources;

namespace RustDesk.Web.Components.Passkeys;

/// <summary>What the browser answered: the credential's JSON for Core, or a localized reason it could not.</summary>
public sealed record PasskeyBrowserAnswer(string? Json, string? Error);

/// <summary>
/// Calls <c>wwwroot/js/passkeys.js</c> (navigator.credentials.create/get) for the interactive components. The browser
/// only carries the ceremony; Core issued the options and verifies the answer.
/// </summary>
public sealed class PasskeyBrowser(IJSRuntime js, IStringLocalizer<Strings> text)
{
    public Task<PasskeyBrowserAnswer> CreateAsync(string optionsJson) => CallAsync("rdPasskeys.create", optionsJson);

    public Task<PasskeyBrowserAnswer> GetAsync(string optionsJson) => CallAsync("rdPasskeys.get", optionsJson);

    private async Task<PasskeyBrowserAnswer> CallAsync(string function, string optionsJson)
    {
        try
        {
            var answer = await js.InvokeAsync<JsAnswer>(function, optionsJson);
            return answer.Json is { Length: > 0 } json ? new(json, null) : new(null, Message(answer.Error));
        }
        catch (JSException)
        {
            return new(null, Message("failed"));
        }
    }

    private string Message(string? code) => code switch
    {
        "cancelled" => text["Passkeys.Cancelled"],
        "unsupported" => text["Passkeys.NotSupported"],
        _ => text["Passkeys.Failed"],
    };

    private sealed class JsAnswer
    {
        public string? Json { get; set; }
        public string? Error { get; set; }
    }
}
