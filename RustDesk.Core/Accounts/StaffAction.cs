namespace RustDesk.Core.Accounts;

/// <summary>
/// What staff can do to other users' accounts (the original console's "Users-Manage 2FA" and more).
/// Here, next to the roles, because the re-verification policy (a lower layer than Administration) has a row for each.
/// </summary>
public enum StaffAction
{
    ViewUser,
    ResetTwoFactor,
    DisableEmailVerification,
    EnforceTwoFactor,
    StopEnforcingTwoFactor,
    ForceLogout,
    EditEmail,
    EditProfile,
    ChangeRoles,
    CreateUser,
    /// <summary>Lifts the account's lockouts (unknown clients and every device) and its consecutive-failure count.</summary>
    UnlockAccount,
}
