using Microsoft.AspNetCore.Identity;

namespace RustDesk.Core.RateLimiting;

/// <summary>
/// Identity's password hasher behind the <see cref="PasswordHashGate"/>. Every hash of the console goes through
/// <see cref="IPasswordHasher{TUser}"/> (sign-in, the equivalent hash for unknown names, re-verification, password
/// change, invitations, new users, the command line), so decorating it gates them all.
/// </summary>
public sealed class GatedPasswordHasher<TUser>(IPasswordHasher<TUser> inner, PasswordHashGate gate) : IPasswordHasher<TUser>
    where TUser : class
{
    public string HashPassword(TUser user, string password) => gate.Run(() => inner.HashPassword(user, password));

    public PasswordVerificationResult VerifyHashedPassword(TUser user, string hashedPassword, string providedPassword) =>
        gate.Run(() => inner.VerifyHashedPassword(user, hashedPassword, providedPassword));
}
