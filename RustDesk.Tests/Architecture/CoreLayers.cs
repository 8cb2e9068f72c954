namespace RustDesk.Tests.Architecture;

/// <summary>
/// The layering of RustDesk.Core's feature folders, bottom first (drawn in docs/architecture.md). A folder may use
/// the folders of lower layers only; folders on one layer do not use each other. The measured graph
/// (<see cref="CoreDependencyGraph"/>) guided the order; <see cref="CoreLayeringTests"/> holds the code to it.
/// </summary>
internal static class CoreLayers
{
    public static readonly string[][] BottomUp =
    [
        ["Data"],
        ["Security", "RateLimiting"],
        ["Accounts"],
        ["Sessions"],
        ["Audit"],
        ["Mail"],
        ["Notifications"],
        ["Alarms"],
        ["Authentication.Lockout"],
        ["TwoFactor"],
        ["Passkeys"],
        ["ReVerification"],
        ["EmailVerification"],
        ["Accounts.Settings", "TwoFactor.Settings", "Passkeys.Settings"],
        ["Authentication"],
        ["Administration", "Recovery", "ClientApi"],
        ["Sessions.Devices"],
    ];

    /// <summary>The layer of <paramref name="folder"/>, or -1 for a folder missing from the table.</summary>
    public static int LayerOf(string folder) => Array.FindIndex(BottomUp, layer => layer.Contains(folder));

    public static bool MayUse(string from, string to) => LayerOf(to) < LayerOf(from);
}
