namespace RustDesk.Core.ReVerification;

/// <summary>
/// The result of every protected change. One shared "prove yourself first" answer, so the console's
/// re-verification prompt can tell it apart from every other outcome without knowing the change.
/// </summary>
public interface IProtectedChangeResult
{
    /// <summary>The change was refused because this session holds no fresh re-verification grant; nothing changed.</summary>
    bool ReVerificationRequired { get; }
}
