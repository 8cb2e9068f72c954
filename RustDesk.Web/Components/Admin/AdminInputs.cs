using RustDesk.Core.Accounts;

namespace RustDesk.Web.Components.Admin;

/// <summary>What the profile dialog returns; checked by <c>UserAdministrationService.UpdateProfileAsync</c>.</summary>
public sealed record ProfileInput(string DisplayName, string Note, UserStatus Status);

/// <summary>What the create dialog returns; checked by <c>UserAdministrationService.CreateUserAsync</c>.</summary>
public sealed record CreateUserInput(string UserName, string? Email, string Password, string Role);
