using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Notifications;

/// <summary>Remembers the devices (browser + operating system) a user signs in from and notifies on a new one.</summary>
public sealed class KnownDeviceService(ConsoleDbContext db, SecurityNotifier notifier, Audit.AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Records a completed sign-in of the console (audit log, <paramref name="method"/> one of <see cref="Audit.SignInMethods"/>)
    /// and returns true, notifying the user, when the device is new.
    /// </summary>
    public Task<bool> RecordSignInAsync(string userId, string? ipAddress, string? userAgent, string method = Audit.SignInMethods.Password,
        CancellationToken cancellationToken = default) =>
        RecordAsync(userId, ipAddress, userAgent, Audit.AuditDetails.SignInMethod(method), cancellationToken);

    /// <summary><see cref="RecordSignInAsync"/> for a RustDesk client's sign-in through the API.</summary>
    public Task<bool> RecordClientSignInAsync(string userId, string? ipAddress, string? userAgent, string method,
        CancellationToken cancellationToken = default) =>
        RecordAsync(userId, ipAddress, userAgent, Audit.AuditDetails.ClientSignIn(method), cancellationToken);

    private async Task<bool> RecordAsync(string userId, string? ipAddress, string? userAgent, Audit.AuditDetail detail,
        CancellationToken cancellationToken)
    {
        var userName = await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken);
        await audit.AppendAsync(Audit.AuditKinds.SignInSucceeded, userId, userName ?? "", userId, userName, detail, ipAddress, userAgent, cancellationToken);
        var agent = UserAgentDescription.Parse(userAgent);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(agent.Browser + "|" + agent.OperatingSystem)));
        var now = time.GetUtcNow().UtcDateTime;
        var seen = await db.KnownDevices.Where(d => d.UserId == userId && d.DeviceHash == hash)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.LastSeenAt, now), cancellationToken);
        if (seen > 0)
        {
            return false;
        }
        db.KnownDevices.Add(new KnownDevice { UserId = userId, DeviceHash = hash, FirstSeenAt = now, LastSeenAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two sign-ins from the same new device at once: the other one notifies.
            return false;
        }
        await notifier.NotifyAsync(userId, SecurityEvent.NewDeviceSignIn, new EventOrigin(ipAddress, userAgent), cancellationToken: cancellationToken);
        return true;
    }
}
