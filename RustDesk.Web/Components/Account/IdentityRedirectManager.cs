using Microsoft.AspNetCore.Components;
using RustDesk.Core.Authentication;

namespace RustDesk.Web.Components.Account;

/// <summary>Redirects from the static sign-in pages; every target passes <see cref="ReturnUrlPolicy"/>.</summary>
public sealed class IdentityRedirectManager(NavigationManager navigation)
{
    public void RedirectTo(string? uri) => navigation.NavigateTo(ReturnUrlPolicy.Sanitize(uri));
}
