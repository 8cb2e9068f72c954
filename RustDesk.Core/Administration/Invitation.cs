namespace RustDesk.Core.Administration;

/// <summary>A one-time link that lets an invited user choose their first password. Only the token's hash is stored.</summary>
public sealed class Invitation
{
    public string UserId { get; set; } = "";

    public string TokenHash { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? UsedAt { get; set; }
}
