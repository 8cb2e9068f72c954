using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using RustDesk.Core.Data;

namespace RustDesk.Tests.Architecture;

/// <summary>
/// The tests mirror the code: a test class named <c>&lt;Type&gt;Tests</c>, where <c>&lt;Type&gt;</c> is a type of
/// RustDesk.Core or RustDesk.Web, lives in the namespace (and folder) that mirrors the type's:
/// <c>RustDesk.Web.Hosting.Sessions.SessionTicketStore</c> → <c>RustDesk.Tests.Web.Hosting.Sessions.SessionTicketStoreTests</c>.
/// Tests named after a behaviour rather than a type (<c>SessionLifetimeTests</c>, <c>LoginHttpTests</c>) are not held to it.
/// </summary>
public sealed partial class TestLayoutTests
{
    private static readonly Assembly Tests = typeof(TestLayoutTests).Assembly;
    private static readonly Assembly[] Product = [typeof(ConsoleDbContext).Assembly, typeof(Program).Assembly];

    /// <summary>Test namespaces that cut across the product and are exempt as a whole.</summary>
    private static readonly string[] ExemptNamespaces =
    [
        // Browser tests drive whole pages through Chromium; they are named after a journey (PasskeyBrowserTests is
        // passkey sign-in and registration in the browser, not the PasskeyBrowser JS-interop class).
        "RustDesk.Tests.Web.Browser",
        "RustDesk.Tests.Web.MultiInstance",
    ];

    /// <summary>
    /// Test classes named after a type that is not what they test, each with the reason. Keep this list short:
    /// prefer moving the file (or naming the class after what it tests).
    /// </summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        // Tests TotpEnrollmentService (TwoFactor/Settings); TotpEnrollment is also the name of the pending-key row in TwoFactor.
        ["RustDesk.Tests.Core.TwoFactor.Settings.TotpEnrollmentTests"] = "RustDesk.Core.TwoFactor.Settings",
        // Tests the backup codes (BackupCodeService in TwoFactor/BackupCodes); BackupCode is also the row in TwoFactor.
        ["RustDesk.Tests.Core.TwoFactor.BackupCodes.BackupCodeTests"] = "RustDesk.Core.TwoFactor.BackupCodes",
    };

    [Fact]
    public void TestClass_NamedAfterAProductType_LivesInTheNamespaceMirroringIt()
    {
        var misplaced = Checked()
            .Where(c => !c.Homes.Contains(c.Test.Namespace))
            .Select(c => $"{c.Test.FullName} is named after {string.Join(" / ", c.Subjects)} → move it to namespace {string.Join(" or ", c.Homes)}")
            .Order()
            .ToList();

        Assert.True(misplaced.Count == 0,
            "A test class named <Type>Tests lives in the namespace and folder that mirror <Type>'s "
            + "(RustDesk.Core.X.Y → RustDesk.Tests.Core.X.Y; RustDesk.Web.X.Y → RustDesk.Tests.Web.X.Y):"
            + Environment.NewLine + string.Join(Environment.NewLine, misplaced));
    }

    [Fact]
    public void TestClass_NamedAfterAProductType_IsFound()
    {
        // Guards the rule above against checking nothing (a broken look-up would pass it vacuously).
        var names = Checked().Select(c => c.Test.FullName).ToHashSet();

        Assert.Contains("RustDesk.Tests.Web.Hosting.Sessions.SessionTicketStoreTests", names);
        Assert.Contains("RustDesk.Tests.Core.Accounts.Settings.AccountSettingsServiceTests", names);
        Assert.Contains("RustDesk.Tests.Web.Components.Settings.DevicesTabTests", names);
        Assert.True(names.Count >= 30, $"only {names.Count} test classes named after a product type");
    }

    [Fact]
    public void AllowList_NamesExistingTestClasses()
    {
        var stale = Allowed.Keys.Where(name => Tests.GetType(name) is null).ToList();

        Assert.True(stale.Count == 0, "Remove from the allow-list (no such test class): " + string.Join(", ", stale));
    }

    [Fact]
    public void TestClass_LivesInAFileNamedAfterIt()
    {
        // Read from the sources: a test class is declared at the start of a line (nested classes are indented).
        var declarations = Directory.EnumerateFiles(TestsFolder(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => TopLevelTestClass().Matches(File.ReadAllText(f)).Select(m => (File: f, Class: m.Groups[1].Value)))
            .ToList();
        var elsewhere = declarations
            .Where(d => Path.GetFileNameWithoutExtension(d.File) != d.Class)
            .Select(d => $"{d.Class} is declared in {Path.GetRelativePath(TestsFolder(), d.File)} → move it to {d.Class}.cs")
            .Order()
            .ToList();

        Assert.Contains(declarations, d => d.Class == nameof(TestLayoutTests)); // the look-up finds classes at all
        Assert.True(declarations.Count >= 100, $"only {declarations.Count} test classes found in the sources");
        Assert.True(elsewhere.Count == 0, "Each test class lives in a file of its own name:" + Environment.NewLine + string.Join(Environment.NewLine, elsewhere));
    }

    [GeneratedRegex(@"^(?:public |internal )?(?:(?:sealed|static|abstract|partial) )*class ([A-Za-z0-9_]+Tests)\b", RegexOptions.Multiline)]
    private static partial Regex TopLevelTestClass();

    /// <summary>The folder of the test project's sources, next to the solution file above the test binaries.</summary>
    private static string TestsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RustDesk.Blazor.sln")))
            {
                return Path.Combine(dir.FullName, "RustDesk.Tests");
            }
        }
        throw new InvalidOperationException("RustDesk.Blazor.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Each test class held to the rule, with the namespaces it may live in.</summary>
    private static List<(Type Test, List<string> Subjects, List<string?> Homes)> Checked()
    {
        var productTypes = Product.SelectMany(a => a.GetTypes())
            .Where(t => !t.IsNested && t.Namespace is not null && !t.IsDefined(typeof(CompilerGeneratedAttribute))
                // EF migrations are named after the feature they add (AuditLog, EmailVerification…), not tested by name.
                && !t.Namespace.Contains(".Migrations", StringComparison.Ordinal))
            .ToLookup(t => t.Name, StringComparer.Ordinal);

        return Tests.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false, IsPublic: true }
                && t.Name.EndsWith("Tests", StringComparison.Ordinal)
                && !ExemptNamespaces.Any(ns => t.Namespace == ns || t.Namespace!.StartsWith(ns + ".", StringComparison.Ordinal)))
            .Select(t => (Test: t, Subject: productTypes[t.Name[..^"Tests".Length]].ToList()))
            .Where(x => x.Subject.Count > 0)
            .Select(x => (x.Test, Subjects: x.Subject.Select(s => s.FullName!).ToList(), Homes: Allowed.TryGetValue(x.Test.FullName!, out var allowed)
                ? [TestsNamespaceFor(allowed)]
                : x.Subject.Select(s => TestsNamespaceFor(s.Namespace!)).Distinct().ToList()))
            .ToList();
    }

    /// <summary>RustDesk.Core.X → RustDesk.Tests.Core.X; RustDesk.Web.X → RustDesk.Tests.Web.X.</summary>
    private static string? TestsNamespaceFor(string productNamespace) =>
        "RustDesk.Tests." + productNamespace["RustDesk.".Length..];
}
