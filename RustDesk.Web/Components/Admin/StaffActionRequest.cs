using RustDesk.Core.Administration;

namespace RustDesk.Web.Components.Admin;

/// <summary>
/// One staff call the users page runs as the viewer (actor id, session id), and the message that says what happened
/// when Core answers Done ("2FA of alice reset") rather than a bare "Done".
/// </summary>
public sealed record StaffActionRequest(Func<UserAdministrationService, string, string?, Task<StaffActionResult>> Call, string DoneText);
