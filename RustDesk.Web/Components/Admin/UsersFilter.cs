using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;

namespace RustDesk.Web.Components.Admin;

/// <summary>What the filter bar above the user grid holds; "" in a select means "any".</summary>
public sealed record UsersFilter
{
    public string? Search { get; init; }

    public string TwoFactor { get; init; } = "";

    public string Enforced { get; init; } = "";

    public string EmailVerification { get; init; } = "";

    public string Status { get; init; } = "";

    public UserQuery ToQuery() => new()
    {
        Search = string.IsNullOrWhiteSpace(Search) ? null : Search,
        TwoFactor = Enum.TryParse<TwoFactorState>(TwoFactor, out var state) ? state : null,
        TwoFactorEnforced = bool.TryParse(Enforced, out var enforced) ? enforced : null,
        EmailVerification = bool.TryParse(EmailVerification, out var verification) ? verification : null,
        Status = Enum.TryParse<UserStatus>(Status, out var status) ? status : null,
    };
}
