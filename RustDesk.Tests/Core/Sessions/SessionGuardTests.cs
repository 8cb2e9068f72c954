using System.Reflection;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Administration;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Mail;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Passkeys.Settings;
using RustDesk.Core.ReVerification;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Sessions;

/// <summary>
/// Every Core method an interactive page calls checks the page's session itself (<see cref="SessionGuard"/>): an
/// ended, forged or someone else's session is refused at once, with no 30-second revalidation window, and a user
/// held on enrollment by enforced 2FA reaches nothing but enrollment. Tested here without a browser, through the
/// services, against sessions that would otherwise be allowed everything (2FA on, re-verified).
/// </summary>
public sealed class SessionGuardTests : IAsyncLifetime
{
    private const string Password = "guarded admin password";
    private CoreHost _host = default!;
    private ConsoleUser _admin = default!;
    private ConsoleUser _target = default!;
    private byte[] _key = [];

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _admin = await _host.CreateUserAsync("guarded", Password, Roles.Administrator, email: "guarded@example.com");
        (_key, _) = await EnableAsync(_host, _admin.Id);
        _target = await _host.CreateUserAsync("target", "target password 1", email: "target@example.com");
        await _host.StoreSessionAsync("target");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>One call as a page makes it. Answers true when the method refused with its own "session ended" status.</summary>
    private delegate Task<bool> Call(CoreHost host, CallContext context);

    /// <param name="Code">A code that would pass: a current TOTP code when the user has 2FA, else any six digits.</param>
    private sealed record CallContext(string UserId, string? SessionId, string TargetId, string OtherSessionId, string Password, string Code);

    private static readonly SmtpSettingsInput Smtp = new() { Host = "smtp.example.com", Port = 25, Security = SmtpSecurity.None, From = "c@example.com" };

    /// <summary>Every method the console's pages call, with what it may reach while the user must enroll.</summary>
    private static readonly Dictionary<string, (SessionAccess Access, Call Call)> Calls = new()
    {
        ["BasicSettingsService.GetAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<BasicSettingsService, BasicSettings?>(s => s.GetAsync(c.UserId, c.SessionId)))),
        ["BasicSettingsService.SaveAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(c.UserId, c.SessionId, "changed@example.com", false, true)))),
        ["BasicSettingsService.ConfirmAddressAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.ConfirmAddressAsync(c.UserId, c.SessionId, "123456")))),
        ["AccountSettingsService.ChangePasswordAsync"] = (SessionAccess.PasswordChange, async (h, c) =>
            (await h.WithAsync<AccountSettingsService, SettingsResult>(s => s.ChangePasswordAsync(c.UserId, c.SessionId, c.Password, "a changed password 1", "a changed password 1"))).Error == SettingsError.SessionEnded),
        ["AddressProof.GetPendingAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<AddressProof, PendingAddressChange?>(s => s.GetPendingAsync(c.UserId, c.SessionId)))),
        ["AddressProof.ResendAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<AddressProof, AddressChangeResult>(s => s.ResendAsync(c.UserId, c.SessionId)))),
        ["AddressProof.CancelAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<AddressProof, bool>(async s => { await s.CancelAsync(c.UserId, c.SessionId); return true; }))),
        ["TwoFactorService.GetStatusAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(c.UserId, c.SessionId)))),
        ["TwoFactorService.DisableAsync"] = (SessionAccess.Console, async (h, c) =>
            await h.WithAsync<TwoFactorService, SecondFactorResult>(s => s.DisableAsync(c.UserId, c.SessionId, c.Code)) == SecondFactorResult.SessionEnded),
        ["TwoFactorService.RegenerateBackupCodesAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<TwoFactorService, BackupCodesResult>(s => s.RegenerateBackupCodesAsync(c.UserId, c.SessionId)))),
        ["DeviceService.ListAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<DeviceService, IReadOnlyList<SessionInfo>>(s => s.ListAsync(c.UserId, c.SessionId)))),
        ["DeviceService.RevokeAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<DeviceService, RevokeResult>(s => s.RevokeAsync(c.UserId, c.SessionId, c.OtherSessionId)))),
        ["DeviceService.RevokeOthersAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<DeviceService, RevokeResult>(s => s.RevokeOthersAsync(c.UserId, c.SessionId)))),
        ["AuditLog.RecentAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<AuditLog, IReadOnlyList<AuditEvent>>(s => s.RecentAsync(c.UserId, c.SessionId, 10)))),
        ["AuditLog.SearchAsAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<AuditLog, AuditPage>(s => s.SearchAsAsync(c.UserId, c.SessionId, new AuditQuery())))),
        ["UserDirectory.SearchAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<UserDirectory, UserPage>(s => s.SearchAsync(c.UserId, c.SessionId, new UserQuery())))),
        ["SmtpSettingsService.GetForEditAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<SmtpSettingsService, SmtpSettingsForEdit>(s => s.GetForEditAsync(c.UserId, c.SessionId)))),
        ["SmtpSettingsService.SaveAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<SmtpSettingsService, SmtpSaveResult>(s => s.SaveAsync(c.UserId, c.SessionId, Smtp)))),
        ["SmtpSettingsService.SendTestAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<SmtpSettingsService, SmtpTestResult>(s => s.SendTestAsync(c.UserId, c.SessionId, "ops@example.com")))),
        ["SmtpSettingsService.GetLastDeliveryErrorAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<SmtpSettingsService, MailDeliveryError?>(s => s.GetLastDeliveryErrorAsync(c.UserId, c.SessionId)))),
        ["UserAdministrationService.ResetTwoFactorAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.ResetTwoFactorAsync(c.UserId, c.SessionId, c.TargetId))),
        ["UserAdministrationService.DisableEmailVerificationAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.DisableEmailVerificationAsync(c.UserId, c.SessionId, c.TargetId))),
        ["UserAdministrationService.SetTwoFactorEnforcedAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.SetTwoFactorEnforcedAsync(c.UserId, c.SessionId, c.TargetId, true))),
        ["UserAdministrationService.ForceLogoutAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.ForceLogoutAsync(c.UserId, c.SessionId, c.TargetId))),
        ["UserAdministrationService.UnlockAccountAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.UnlockAccountAsync(c.UserId, c.SessionId, c.TargetId))),
        ["UserAdministrationService.UpdateEmailAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.UpdateEmailAsync(c.UserId, c.SessionId, c.TargetId, "moved@example.com"))),
        ["UserAdministrationService.UpdateProfileAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.UpdateProfileAsync(c.UserId, c.SessionId, c.TargetId, "Renamed", "note", UserStatus.Disabled))),
        ["UserAdministrationService.SetRolesAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.SetRolesAsync(c.UserId, c.SessionId, c.TargetId, [Roles.Administrator]))),
        ["UserAdministrationService.CreateUserAsync"] = (SessionAccess.Console, (h, c) => Staff(h, s => s.CreateUserAsync(c.UserId, c.SessionId, "created", null, "created password 1", Roles.Administrator))),
        ["InvitationService.InviteAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<InvitationService, StaffActionResult>(s => s.InviteAsync(c.UserId, c.SessionId, "invited", "invited@example.com", Roles.User)))),
        ["TotpEnrollmentService.StartAsync"] = (SessionAccess.Enrollment, (h, c) => Done(h.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(c.UserId, c.SessionId)))),
        ["TotpEnrollmentService.ConfirmAsync"] = (SessionAccess.Enrollment, async (h, c) =>
            (await h.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(c.UserId, c.SessionId, "123456"))).Status == EnrollmentStatus.SessionEnded),
        ["TotpEnrollmentService.CancelAsync"] = (SessionAccess.Enrollment, (h, c) => Done(h.WithAsync<TotpEnrollmentService, bool>(async s => { await s.CancelAsync(c.UserId, c.SessionId); return true; }))),
        ["ReVerificationService.VerifyAsync"] = (SessionAccess.Enrollment, async (h, c) =>
            await h.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyAsync(c.UserId, c.SessionId, c.Code)) == ReVerificationStatus.SessionInvalid),
        ["ReVerificationService.OfferAsync"] = (SessionAccess.Enrollment, (h, c) => Done(h.WithAsync<ReVerificationService, ReVerificationOffer>(s => s.OfferAsync(c.UserId, c.SessionId)))),
        ["ReVerificationService.BeginPasskeyAsync"] = (SessionAccess.Enrollment, (h, c) => Done(h.WithAsync<ReVerificationService, string?>(s => s.BeginPasskeyAsync(c.UserId, c.SessionId)))),
        ["ReVerificationService.VerifyPasskeyAsync"] = (SessionAccess.Enrollment, async (h, c) =>
            await h.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyPasskeyAsync(c.UserId, c.SessionId, "{}")) == ReVerificationStatus.SessionInvalid),
        ["PasskeyService.ListAsync"] = (SessionAccess.Enrollment, (h, c) => Done(h.WithAsync<PasskeyService, IReadOnlyList<PasskeyInfo>>(s => s.ListAsync(c.UserId, c.SessionId)))),
        ["PasskeyService.BeginRegistrationAsync"] = (SessionAccess.Enrollment, (h, c) => Done(h.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.BeginRegistrationAsync(c.UserId, c.SessionId)))),
        ["PasskeyService.FinishRegistrationAsync"] = (SessionAccess.Enrollment, (h, c) => Done(h.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.FinishRegistrationAsync(c.UserId, c.SessionId, "Key", "{}")))),
        ["PasskeyService.RenameAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RenameAsync(c.UserId, c.SessionId, 1, "Key")))),
        ["PasskeyService.RemoveAsync"] = (SessionAccess.Console, (h, c) => Done(h.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(c.UserId, c.SessionId, 1)))),
        ["PasswordStrengthService.EvaluateForUserAsync"] = (SessionAccess.PasswordChange, (h, c) =>
            Done(h.WithAsync<PasswordStrengthService, PasswordVerdict>(s => s.EvaluateForUserAsync(c.UserId, c.SessionId, "a candidate password")))),
    };

    /// <summary>Public methods of these services that do not ask the guard, and why (mostly: no page calls them).</summary>
    private static readonly Dictionary<string, string> NotCalledFromPages = new()
    {
        ["PasswordStrengthService.EvaluateAsync"] = "the create-user dialog: rates the typed text and reads no account",
        ["AccountSettingsService.SetPreferredCultureAsync"] = "the culture endpoint: an HTTP request whose cookie the ticket store has just checked",
        ["TwoFactorService.MustEnrollAsync"] = "EnforcedEnrollmentMiddleware, per HTTP request",
        ["AuditLog.AppendAsync"] = "written by Core itself",
        ["AuditLog.AppendAggregatedAsync"] = "written by Core itself",
        ["SmtpSettingsService.GetEffectiveAsync"] = "the outbox worker",
        ["InvitationService.AcceptAsync"] = "the invitation page, before the account has any session",
        ["InvitationService.IsValidAsync"] = "the invitation page, before the account has any session",
        ["InvitationService.EvaluatePasswordAsync"] = "the invitation page's strength meter, before the account has any session (only for a usable link)",
    };

    private static readonly Type[] PageServices =
    [
        typeof(BasicSettingsService), typeof(AccountSettingsService), typeof(AddressProof), typeof(TwoFactorService), typeof(TotpEnrollmentService),
        typeof(ReVerificationService), typeof(DeviceService), typeof(AuditLog), typeof(UserDirectory), typeof(SmtpSettingsService),
        typeof(UserAdministrationService), typeof(InvitationService), typeof(PasswordStrengthService), typeof(PasskeyService),
    ];

    private static async Task<bool> Done<T>(Task<T> call)
    {
        await call;
        return false;
    }

    private static Task<bool> Staff(CoreHost host, Func<UserAdministrationService, Task<StaffActionResult>> action) =>
        Done(host.WithAsync(action));

    public static TheoryData<string> AllCalls() => [.. Calls.Keys];

    public static TheoryData<string> ConsoleCalls() => [.. Calls.Where(c => c.Value.Access != SessionAccess.Enrollment).Select(c => c.Key)];

    public static TheoryData<string> NotPasswordChangeCalls() => [.. Calls.Where(c => c.Value.Access != SessionAccess.PasswordChange).Select(c => c.Key)];

    public static TheoryData<string> PasswordChangeCalls() => [.. Calls.Where(c => c.Value.Access == SessionAccess.PasswordChange).Select(c => c.Key)];

    public static TheoryData<string> EnrollmentCalls() => [.. Calls.Where(c => c.Value.Access == SessionAccess.Enrollment).Select(c => c.Key)];

    /// <summary>The administrator's page: a session re-verified moments ago, and another device of theirs.</summary>
    private async Task<CallContext> AdminPageAsync()
    {
        var session = await _host.VerifiedSessionAsync("guarded", CodeAt(_key, _host));
        var other = await _host.StoreSessionAsync("guarded");
        return new CallContext(_admin.Id, session.SessionId, _target.Id, other.SessionId, Password, CodeAt(_key, _host, +1));
    }

    /// <summary>Runs the call; true when it was refused, by <see cref="SessionRefusedException"/> (with <paramref name="reason"/>) or its own status.</summary>
    private async Task<bool> RefusedAsync(string name, CallContext context, SessionCheck reason)
    {
        try
        {
            return await Calls[name].Call(_host, context);
        }
        catch (SessionRefusedException refused)
        {
            Assert.Equal(reason, refused.Reason);
            return true;
        }
    }

    /// <summary>
    /// One page of the administrator, sent to Core four ways a page must not be answered: with a made-up session id,
    /// with the target's own session, with the target's user id, and after the session was revoked from another
    /// device at this very moment (no revalidation interval passes).
    /// </summary>
    [Theory]
    [MemberData(nameof(AllCalls))]
    public async Task Call_FromAForgedForeignOrRevokedSession_IsRefusedAtOnceAndChangesNothing(string name)
    {
        var page = await AdminPageAsync();
        var targetsSession = await _host.StoreSessionAsync("target");
        var cases = new (string Case, CallContext Context)[]
        {
            ("a forged session id", page with { SessionId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) }),
            ("another user's session", page with { SessionId = targetsSession.SessionId }),
            ("a forged user id", page with { UserId = _target.Id, TargetId = _admin.Id }),
        };
        foreach (var (what, context) in cases)
        {
            var before = await CoreState.FingerprintAsync(_host);

            Assert.True(await RefusedAsync(name, context, SessionCheck.Ended), $"{name} answered {what}");
            Assert.Equal(before, await CoreState.FingerprintAsync(_host));
        }

        await _host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.Where(s => s.Id == page.SessionId).ExecuteDeleteAsync());
        var beforeRevoked = await CoreState.FingerprintAsync(_host);

        Assert.True(await RefusedAsync(name, page, SessionCheck.Ended), $"{name} answered a revoked session");
        Assert.Equal(beforeRevoked, await CoreState.FingerprintAsync(_host));
    }

    [Theory]
    [MemberData(nameof(AllCalls))]
    public async Task Call_FromAValidSession_IsNotRefused(string name)
    {
        var page = await AdminPageAsync();

        Assert.False(await RefusedAsync(name, page, SessionCheck.Valid), name + " refused a valid session");
    }

    /// <summary>An administrator for whom 2FA is enforced and who has not enrolled, with a re-verified session (the password).</summary>
    private async Task<CallContext> MustEnrollPageAsync()
    {
        var user = await _host.CreateUserAsync("enrollee", Password, Roles.Administrator, email: "enrollee@example.com");
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnforced, true)));
        var session = await _host.VerifiedSessionAsync("enrollee", Password);
        var other = await _host.StoreSessionAsync("enrollee");
        return new CallContext(user.Id, session.SessionId, _target.Id, other.SessionId, Password, "123456");
    }

    [Theory]
    [MemberData(nameof(ConsoleCalls))]
    public async Task Call_WhileTheUserMustEnroll_IsRefusedAndChangesNothing(string name)
    {
        var page = await MustEnrollPageAsync();
        var before = await CoreState.FingerprintAsync(_host);

        var refused = await Assert.ThrowsAsync<SessionRefusedException>(() => Calls[name].Call(_host, page));

        Assert.Equal(SessionCheck.MustEnroll, refused.Reason);
        Assert.Equal(before, await CoreState.FingerprintAsync(_host));
    }

    [Theory]
    [MemberData(nameof(EnrollmentCalls))]
    public async Task EnrollmentCall_WhileTheUserMustEnroll_IsAllowed(string name)
    {
        var page = await MustEnrollPageAsync();

        Assert.False(await Calls[name].Call(_host, page), name + " refused a user who must enroll");
    }

    /// <summary>The first administrator, signed in with the generated password (flagged), with a re-verified session.</summary>
    private async Task<CallContext> MustChangePasswordPageAsync()
    {
        var user = await _host.CreateUserAsync("firstadmin", Password, Roles.Administrator, email: "firstadmin@example.com");
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.MustChangePassword, true)));
        var session = await _host.StoreSessionAsync("firstadmin");
        await TestSessions.GrantAsync(_host.Services, session.SessionId);
        var other = await _host.StoreSessionAsync("firstadmin");
        return new CallContext(user.Id, session.SessionId, _target.Id, other.SessionId, Password, "123456");
    }

    [Theory]
    [MemberData(nameof(NotPasswordChangeCalls))]
    public async Task Call_WhileAGeneratedPasswordMustBeReplaced_IsRefusedAndChangesNothing(string name)
    {
        var page = await MustChangePasswordPageAsync();
        var before = await CoreState.FingerprintAsync(_host);

        var refused = await Assert.ThrowsAsync<SessionRefusedException>(() => Calls[name].Call(_host, page));

        Assert.Equal(SessionCheck.MustChangePassword, refused.Reason);
        Assert.Equal(before, await CoreState.FingerprintAsync(_host));
    }

    [Theory]
    [MemberData(nameof(PasswordChangeCalls))]
    public async Task PasswordChangeCall_WhileAGeneratedPasswordMustBeReplaced_IsAllowed(string name)
    {
        var page = await MustChangePasswordPageAsync();

        Assert.False(await Calls[name].Call(_host, page), name + " refused a user who must change the password");
    }

    [Fact]
    public async Task ChangePassword_GeneratedPasswordReplaced_ReleasesTheConsole()
    {
        var page = await MustChangePasswordPageAsync();

        var changed = await _host.WithAsync<AccountSettingsService, SettingsResult>(
            s => s.ChangePasswordAsync(page.UserId, page.SessionId, Password, "Amber-Falcon-Orchard-93", "Amber-Falcon-Orchard-93"));

        Assert.Equal(SettingsError.None, changed.Error);
        Assert.Equal(SessionCheck.Valid, await _host.WithAsync<SessionGuard, SessionCheck>(g => g.CheckAsync(page.UserId, page.SessionId)));
    }

    [Fact]
    public void GuardTable_CoversEveryPublicMethodOfThePagesServices()
    {
        var methods = PageServices
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName)
                .Select(m => t.Name + "." + m.Name))
            .Distinct()
            .Order()
            .ToList();

        Assert.DoesNotContain(methods, m => !Calls.ContainsKey(m) && !NotCalledFromPages.ContainsKey(m));
        Assert.DoesNotContain(Calls.Keys.Concat(NotCalledFromPages.Keys), m => !methods.Contains(m));
    }

    [Fact]
    public async Task CheckAsync_WhatThePagesAsk_TellsValidEndedAndMustEnroll()
    {
        var admin = await AdminPageAsync();
        var enrollee = await MustEnrollPageAsync();

        var valid = await _host.WithAsync<SessionGuard, SessionCheck>(g => g.CheckAsync(admin.UserId, admin.SessionId));
        var ended = await _host.WithAsync<SessionGuard, SessionCheck>(g => g.CheckAsync(admin.UserId, enrollee.SessionId));
        var mustEnroll = await _host.WithAsync<SessionGuard, SessionCheck>(g => g.CheckAsync(enrollee.UserId, enrollee.SessionId));
        var enrolling = await _host.WithAsync<SessionGuard, SessionCheck>(g => g.CheckAsync(enrollee.UserId, enrollee.SessionId, SessionAccess.Enrollment));

        Assert.Equal((SessionCheck.Valid, SessionCheck.Ended, SessionCheck.MustEnroll, SessionCheck.Valid), (valid, ended, mustEnroll, enrolling));
    }
}
