using System.Reflection;
using Microsoft.AspNetCore.Components;
using RustDesk.Web.Hosting;

namespace RustDesk.Tests.Web.Hosting;

/// <summary>The route constants name pages that exist: a page whose <c>@page</c> changed would leave a dead link.</summary>
public sealed class ConsoleRoutesTests
{
    private static readonly string[] Endpoints =
        [ConsoleRoutes.SignInPasskeyOptions, ConsoleRoutes.SignOut, ConsoleRoutes.SetCulture, ConsoleRoutes.Health,
            ConsoleRoutes.ClientLogin, ConsoleRoutes.ClientCurrentUser, ConsoleRoutes.ClientLogout, ConsoleRoutes.ClientLoginOptions,
            ConsoleRoutes.StatusPage];

    public static TheoryData<string> PageRoutes() =>
        [.. typeof(ConsoleRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(route => !Endpoints.Contains(route))];

    [Theory]
    [MemberData(nameof(PageRoutes))]
    public void PageRoute_IsDeclaredByAPage_Found(string route)
    {
        var declared = typeof(ConsoleRoutes).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(a => a.Template)
            .ToList();

        Assert.True(declared.Contains(route, StringComparer.OrdinalIgnoreCase) || declared.Contains("/settings/{Tab}") && route.StartsWith("/settings/", StringComparison.Ordinal),
            $"No page declares {route}; declared: {string.Join(", ", declared)}");
    }

    [Fact]
    public void StatusPage_FormattedWithACode_IsThePageThatTakesTheCode()
    {
        var template = Assert.Single(typeof(ConsoleRoutes).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(a => a.Template), t => t.StartsWith("/status/", StringComparison.Ordinal));

        Assert.Equal("/status/{Code:int}", template);
        Assert.Equal("/status/404", string.Format(System.Globalization.CultureInfo.InvariantCulture, ConsoleRoutes.StatusPage, 404));
    }
}
