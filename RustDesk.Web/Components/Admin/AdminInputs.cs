using RustDesk.Core.Accounts;

namespace RustDesk.Web.Components.Admin;

/// <summary>What the profile dialog returns; checked by <c>UserAdministrationService.UpdateProfileAsync</c>.</summary>
public sealed record ProfileInput(string DisplayName, string Note, UserStatus Status);

/// <summary>What the create dialog returns; checked by <c>UserAdministrationService.CreateUserAsync</c>.</summary>
/// <summary><paramref name="Invite"/>: mail a one-time link instead of setting <paramref name="Password"/>.</summary>
public sealed record CreateUserInput(string UserName, string? Email, string Password, string Role, bool Invite = false);
