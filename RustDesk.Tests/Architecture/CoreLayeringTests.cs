using System.Reflection;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;
using RustDesk.Core.Data;

namespace RustDesk.Tests.Architecture;

/// <summary>
/// The structure of RustDesk.Core: its folders depend one way (<see cref="CoreLayers"/>), and Core knows nothing of
/// the web. A new use against the layering fails here with the types that make it, so a new cycle cannot creep in.
/// </summary>
public sealed class CoreLayeringTests
{
    private static readonly Assembly Core = typeof(ConsoleDbContext).Assembly;
    private static readonly Lazy<CoreDependencyGraph> Graph = new(() => CoreDependencyGraph.Read(Core.Location));
    private static readonly Lazy<IReadOnlyList<CoreDependencyGraph.Use>> SourceUses =
        new(() => CoreSourceUses.Read(CoreSourceUses.CoreSourceDirectory(), Core));
    private static readonly Lazy<HashSet<string>> Schema = new(SchemaTypes);

    [Fact]
    public void Core_UsesNoWebNamespace_NoReference()
    {
        var result = Types.InAssembly(Core).ShouldNot()
            .HaveDependencyOnAny("RustDesk.Web", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Components",
                "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Builder")
            .GetResult();

        Assert.True(result.IsSuccessful,
            "RustDesk.Core must not use the web (cookies, HttpContext, components live in RustDesk.Web): "
            + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Layers_NameEveryCoreFolder_EachOnce()
    {
        var folders = Core.GetTypes().Select(t => CoreDependencyGraph.FolderOf(t.Namespace)).OfType<string>().Distinct();
        var missing = folders.Where(f => CoreLayers.LayerOf(f) < 0).Order().ToList();
        var twice = CoreLayers.BottomUp.SelectMany(l => l).GroupBy(f => f).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(missing.Count == 0, "Place these Core folders in CoreLayers (and docs/architecture.md): " + string.Join(", ", missing));
        Assert.Empty(twice);
    }

    [Fact]
    public void CoreFolders_UseOnlyLowerLayers_ExceptSharedRows()
    {
        var offending = Offending(Graph.Value.Uses, Schema.Value);

        Assert.True(offending.Count == 0,
            "A Core folder may use only folders of lower layers (tests/Architecture/CoreLayers, docs/architecture.md). "
            + "Move the shared piece down, or give the lower folder a small interface that the upper one implements:"
            + Environment.NewLine + string.Join(Environment.NewLine, offending));
    }

    /// <summary>What the IL cannot show: constants (their values are copied into the using code) and imports.</summary>
    [Fact]
    public void CoreSource_UsesOnlyLowerLayers_ConstantsAndUsingsIncluded()
    {
        var offending = Offending(SourceUses.Value, Schema.Value);

        Assert.True(offending.Count == 0,
            "A Core source file names a type of a folder it may not use (a constant, a qualified name or a using; "
            + "remove an unused using, move a shared constant down):"
            + Environment.NewLine + string.Join(Environment.NewLine, offending));
    }

    [Fact]
    public void CoreFolders_FormNoCycle()
    {
        var cycle = FindCycle(Edges(Graph.Value.Uses.Concat(SourceUses.Value).Where(u => !Schema.Value.Contains(u.To))));

        Assert.True(cycle is null, "Core folders use each other in a cycle: " + string.Join(" → ", cycle ?? []));
    }

    /// <summary>Both readers find a use that exists, so an empty or broken read cannot pass the tests above.</summary>
    [Fact]
    public void Readers_FindKnownUses()
    {
        Assert.Contains(Graph.Value.Uses, u => u.FromFolder == "Authentication" && u.ToFolder == "TwoFactor");
        Assert.Contains(SourceUses.Value, u => u.FromFolder == "Authentication" && u.ToFolder == "TwoFactor");
        Assert.Contains(SourceUses.Value, u => u.FromFolder == "Authentication" && u.To == "RustDesk.Core.Accounts.PasswordRules");
        Assert.Contains(SourceUses.Value, u => u.FromFolder == "ClientApi" && u.To == "RustDesk.Core.Sessions.UserAgentDescription");
    }

    /// <summary>The checks can fail: an upward use, a use within one layer and a cycle fed to them are reported.</summary>
    [Fact]
    public void Checks_ReportUpwardUseAndCycle()
    {
        CoreDependencyGraph.Use[] uses =
        [
            new("Sessions", "RustDesk.Core.Sessions.SessionGuard", "Administration", "RustDesk.Core.Administration.StaffPermissions"),
            new("Administration", "RustDesk.Core.Administration.UserDirectory", "Sessions", "RustDesk.Core.Sessions.SessionService"),
            new("Recovery", "RustDesk.Core.Recovery.RecoveryService", "ClientApi", "RustDesk.Core.ClientApi.ClientDevice"),
            new("Authentication", "RustDesk.Core.Authentication.PasswordSignInService", "Accounts", "RustDesk.Core.Accounts.PasswordRules"),
        ];

        var offending = Offending(uses, new HashSet<string>());

        Assert.Equal(2, offending.Count);
        Assert.Contains(offending, o => o.StartsWith("Sessions → Administration:", StringComparison.Ordinal));
        Assert.Contains(offending, o => o.StartsWith("Recovery → ClientApi:", StringComparison.Ordinal));
        Assert.Empty(Offending(uses[..1], new HashSet<string> { "RustDesk.Core.Administration.StaffPermissions" }));
        Assert.Equal(["Administration", "Sessions", "Administration"], FindCycle(Edges(uses)));
        Assert.Null(FindCycle(Edges(uses[1..])));
    }

    /// <summary>The source reader sees a constant, a qualified name, an import and an unused import.</summary>
    [Fact]
    public void SourceReader_FindsConstantsQualifiedNamesAndUsings()
    {
        var types = new Dictionary<string, HashSet<string>>
        {
            ["ClientApi"] = ["ClientDevice"],
            ["Authentication"] = ["PasswordSignInService"],
            ["Authentication.Lockout"] = ["SignInBudget"],
            ["Audit"] = ["AuditLog"],
        };
        const string source = """
            using System.Text;
            using RustDesk.Core.Authentication;
            using RustDesk.Core.Audit;

            namespace RustDesk.Core.Sessions;

            // ClientApi.ClientDevice in a comment is no use
            public static class Sample
            {
                public static string Client => "https://example.org/" + ClientApi.ClientDevice.DescriptionPrefix;
                public static int Max => PasswordSignInService.MaxInputLength + RustDesk.Core.Authentication.Lockout.SignInBudget.Size;
            }
            """;

        var uses = CoreSourceUses.UsesIn("Sample.cs", source, types).Select(u => $"{u.ToFolder}: {u.To}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
        [
            "Audit: RustDesk.Core.Audit (unused using)",
            "Authentication.Lockout: RustDesk.Core.Authentication.Lockout.SignInBudget",
            "Authentication: RustDesk.Core.Authentication.PasswordSignInService",
            "ClientApi: RustDesk.Core.ClientApi.ClientDevice",
        ], uses);
    }

    /// <summary>The diagram in docs/architecture.md ("Which folder may use which") draws the same layers, top first.</summary>
    [Fact]
    public void ArchitectureDoc_DrawsTheLayerTable()
    {
        var doc = File.ReadAllLines(Path.Combine(CoreSourceUses.CoreSourceDirectory(), "..", "docs", "architecture.md"));
        var section = Array.IndexOf(doc, "## Which folder may use which");
        Assert.True(section >= 0, "docs/architecture.md has no section \"## Which folder may use which\"");
        var open = Array.FindIndex(doc, section, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(doc, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));

        var drawn = doc[(open + 1)..close]
            .Select(line => line.Length > 7 ? line[7..] : "") // the "top"/"bottom" margin
            .Select(line => line.Split('(')[0])
            .Where(line => line.Trim().Length > 0)
            .Select(line => string.Join(" · ", line.Split('·', StringSplitOptions.TrimEntries).Select(f => f.Replace('/', '.'))))
            .Reverse()
            .ToList();
        var table = CoreLayers.BottomUp.Select(layer => string.Join(" · ", layer)).ToList();

        Assert.Equal(table, drawn);
    }

    /// <summary>The uses among <paramref name="uses"/> that go against <see cref="CoreLayers"/>, shared rows excepted.</summary>
    internal static List<string> Offending(IEnumerable<CoreDependencyGraph.Use> uses, IReadOnlySet<string> schema) =>
        [.. uses
            .Where(u => !CoreLayers.MayUse(u.FromFolder, u.ToFolder) && !schema.Contains(u.To))
            .Select(u => $"{u.FromFolder} → {u.ToFolder}: {u.From} uses {u.To}")];

    internal static SortedDictionary<string, SortedSet<string>> Edges(IEnumerable<CoreDependencyGraph.Use> uses)
    {
        var edges = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var use in uses)
        {
            if (!edges.TryGetValue(use.FromFolder, out var to))
            {
                edges[use.FromFolder] = to = new SortedSet<string>(StringComparer.Ordinal);
            }
            to.Add(use.ToFolder);
        }
        return edges;
    }

    /// <summary>One cycle among the folders of <paramref name="edges"/> (its first folder repeated at the end), or null.</summary>
    internal static List<string>? FindCycle(IReadOnlyDictionary<string, SortedSet<string>> edges)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in edges.Keys)
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }
        return null;

        List<string>? Visit(string folder)
        {
            var onPath = path.IndexOf(folder);
            if (onPath >= 0)
            {
                return [.. path[onPath..], folder];
            }
            if (!done.Add(folder))
            {
                return null;
            }
            path.Add(folder);
            foreach (var next in edges.TryGetValue(folder, out var to) ? to : [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }
            path.RemoveAt(path.Count - 1);
            return null;
        }
    }

    /// <summary>
    /// The shared rows: every entity of <see cref="ConsoleDbContext"/> and the types of its columns. The context
    /// exposes them all to every folder anyway, so reading another folder's row is not a dependency on its services.
    /// </summary>
    internal static HashSet<string> SchemaTypes()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            Add(entity.ClrType);
            foreach (var property in entity.GetProperties())
            {
                Add(Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType);
            }
        }
        return types;

        void Add(Type type)
        {
            if (type.FullName is { } name && name.StartsWith("RustDesk.Core.", StringComparison.Ordinal))
            {
                types.Add(name.Replace('+', '/'));
            }
        }
    }
}
