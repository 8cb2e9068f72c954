using Bunit;
using Microsoft.JSInterop;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.TwoFactor;

namespace RustDesk.Tests.Web.Components.TwoFactor;

/// <summary>
/// The backup codes as they appear after enabling or regenerating: the focus goes to Download (the Confirm button that
/// had it is gone), once, and a browser that is already gone does not break the render.
/// </summary>
public sealed class BackupCodesPanelTests : ConsoleComponentTest
{
    private const string FocusCall = "Blazor._internal.domWrapper.focus";

    private static readonly string[] Codes = ["0123456789", "1234567890", "2345678901", "3456789012", "4567890123", "5678901234"];

    [Fact]
    public void Render_CodesAppear_FocusMovesToDownload()
    {
        using var culture = InEnglish();

        var cut = Ctx.Render<BackupCodesPanel>(p => p.Add(x => x.Codes, Codes));

        var focused = Assert.Single(Ctx.JSInterop.Invocations, i => i.Identifier == FocusCall);
        var target = Assert.IsType<Microsoft.AspNetCore.Components.ElementReference>(focused.Arguments[0]);
        var download = cut.Find("[data-testid='backup-codes-download']");
        Assert.Equal(download.GetAttribute("blazor:elementReference"), target.Id);
        Assert.Equal(6, cut.FindAll("[data-testid='backup-code']").Count);
    }

    [Fact]
    public void Render_AgainWithNewCodes_DoesNotTakeTheFocusAgain()
    {
        using var culture = InEnglish();
        var cut = Ctx.Render<BackupCodesPanel>(p => p.Add(x => x.Codes, Codes));

        cut.Render(p => p.Add(x => x.Codes, [.. Codes.AsEnumerable().Reverse()]));

        Assert.Single(Ctx.JSInterop.Invocations, i => i.Identifier == FocusCall);
        Assert.Equal("56789 01234", cut.FindAll("[data-testid='backup-code']")[0].TextContent);
    }

    [Fact]
    public void Render_BrowserGoneBeforeTheFocus_StillShowsTheCodes()
    {
        using var culture = InEnglish();
        Ctx.JSInterop.SetupVoid(FocusCall, _ => true).SetException(new JSDisconnectedException("The circuit is gone."));

        var cut = Ctx.Render<BackupCodesPanel>(p => p.Add(x => x.Codes, Codes));

        Assert.Single(Ctx.JSInterop.Invocations, i => i.Identifier == FocusCall);
        Assert.Equal(6, cut.FindAll("[data-testid='backup-code']").Count);
    }
}
