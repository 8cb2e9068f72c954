using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace RustDesk.Core.Mail;

/// <summary>
/// Message bodies carry sign-in codes, so the outbox keeps them encrypted (Data Protection, their own purpose) and
/// empties them once the message is sent: the database never holds a code in clear.
/// </summary>
public sealed class OutboxBodyProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "RustDesk.Mail.OutboxBody.v1";
    private const string Prefix = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string body) =>
        body.Length == 0 ? "" : Prefix + Convert.ToBase64String(_protector.Protect(Encoding.UTF8.GetBytes(body)));

    public string Unprotect(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(_protector.Unprotect(Convert.FromBase64String(stored[Prefix.Length..])))
            : stored;
}
