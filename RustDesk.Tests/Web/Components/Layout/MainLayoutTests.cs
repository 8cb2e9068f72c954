using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Layout;
using RustDesk.Web.Components.Shared;

namespace RustDesk.Tests.Web.Components.Layout;

/// <summary>
/// The layout's first interactive render asks the browser for its time zone and marks the page interactive. A tab
/// closed (or a session ended and the tab gone) before those calls answer must end the circuit quietly: an exception
/// left to the renderer is logged as <c>fail:</c> with a stack trace (issue 11, point 6).
/// </summary>
public sealed class MainLayoutTests : ConsoleComponentTest
{
    [Fact]
    public async Task FirstRender_BrowserGoneBeforeTheZoneAnswers_RendersAndRaisesNothing()
    {
        Ctx.AddAuthorization(); // nobody signed in: the layout of the sign-in pages
        using var culture = InEnglish();
        await Ctx.DisposeComponentsAsync(); // the layout brings its own popover provider
        Ctx.JSInterop.Setup<BrowserTimeZone.DetectedZone?>("rdConsole.timeZone", _ => true)
            .SetException(new JSDisconnectedException("The circuit's JavaScript connection is gone."));

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "the page"))));

        cut.WaitForAssertion(() => Assert.Contains("the page", cut.Markup, StringComparison.Ordinal));
        await AssertAnsweredWithoutUnhandledExceptionAsync(cut, "rdConsole.timeZone");
        Assert.DoesNotContain(Ctx.JSInterop.Invocations, i => i.Identifier == "rdConsole.markInteractive"); // stopped at the failure
    }

    [Fact]
    public async Task FirstRender_BrowserGoneBeforeMarkedInteractive_RendersAndRaisesNothing()
    {
        Ctx.AddAuthorization(); // nobody signed in: the layout of the sign-in pages
        using var culture = InEnglish();
        await Ctx.DisposeComponentsAsync(); // the layout brings its own popover provider
        Ctx.JSInterop.SetupVoid("rdConsole.markInteractive")
            .SetException(new JSDisconnectedException("The circuit's JavaScript connection is gone."));

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "the page"))));

        cut.WaitForAssertion(() => Assert.Contains("the page", cut.Markup, StringComparison.Ordinal));
        Assert.Contains(Ctx.JSInterop.Invocations, i => i.Identifier == "rdConsole.markInteractive"); // the call was made
        await AssertAnsweredWithoutUnhandledExceptionAsync(cut, "rdConsole.markInteractive");
    }

    /// <summary>
    /// Waits for the evidence that the layout had the failing call's answer (the call was made, and then everything the
    /// renderer had queued behind it has run), then checks the renderer's record of an exception no component handled
    /// (what the server would log as <c>fail:</c>).
    /// </summary>
    private async Task AssertAnsweredWithoutUnhandledExceptionAsync(IRenderedComponent<MainLayout> cut, string identifier)
    {
        cut.WaitForAssertion(() => Assert.Contains(Ctx.JSInterop.Invocations, i => i.Identifier == identifier));
        await cut.InvokeAsync(() => { });
        var unhandled = Ctx.Renderer.UnhandledException;
        Assert.False(unhandled.IsCompleted, $"unhandled: {(unhandled.IsCompleted ? unhandled.Result : null)}");
    }
}
