using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;
using RustDesk.Core.ReVerification;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.Sessions;

public enum RevokeStatus
{
    Revoked,
    /// <summary>No such session of this user (already gone, or someone else's).</summary>
    NotFound,
    /// <summary>The current session is ended by signing out, not here.</summary>
    IsCurrent,
    ReVerificationRequired,
}

/// <summary>
/// The "Manage Signed Devices" tab: a user ends one of their other sessions, or all of them. With 2FA on this is a
/// protected change and needs a re-verification grant. An ended session is refused on its next request and an
/// open page of it signs out within <see cref="ConsoleSessionOptions.RevalidationSeconds"/>.
/// </summary>
public sealed class DeviceService(
    ConsoleDbContext db,
    SecondFactorVerifier twoFactor,
    ReVerificationService reVerification,
    Audit.AuditLog audit,
    ILogger<DeviceService> logger)
{
    public async Task<RevokeStatus> RevokeAsync(string userId, string? currentSessionId, string targetSessionId,
        CancellationToken cancellationToken = default)
    {
        if (targetSessionId == currentSessionId)
        {
            return RevokeStatus.IsCurrent;
        }
        if (!await db.Sessions.AnyAsync(s => s.Id == targetSessionId && s.UserId == userId, cancellationToken))
        {
            return RevokeStatus.NotFound;
        }
        if (!await MayRevokeAsync(userId, currentSessionId, cancellationToken))
        {
            return RevokeStatus.ReVerificationRequired;
        }
        var ended = await db.Sessions.Where(s => s.Id == targetSessionId && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("User {UserId} signed out one of their other devices", userId);
        await audit.AppendAsync(Audit.AuditKinds.DeviceSignedOut, userId, "", userId, null, "one device", cancellationToken: cancellationToken);
        return ended == 1 ? RevokeStatus.Revoked : RevokeStatus.NotFound;
    }

    /// <summary>Ends every session of the user except the current one; returns how many ended, or null without a grant.</summary>
    public async Task<int?> RevokeOthersAsync(string userId, string? currentSessionId, CancellationToken cancellationToken = default)
    {
        if (!await MayRevokeAsync(userId, currentSessionId, cancellationToken))
        {
            return null;
        }
        var ended = await db.Sessions.Where(s => s.UserId == userId && s.Id != currentSessionId).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("User {UserId} signed out {Count} other devices", userId, ended);
        await audit.AppendAsync(Audit.AuditKinds.DeviceSignedOut, userId, "", userId, null, $"{ended} other devices", cancellationToken: cancellationToken);
        return ended;
    }

    private async Task<bool> MayRevokeAsync(string userId, string? currentSessionId, CancellationToken cancellationToken) =>
        !await twoFactor.IsEnabledAsync(userId, cancellationToken)
        || await reVerification.TryUseGrantAsync(userId, currentSessionId, cancellationToken);
}
