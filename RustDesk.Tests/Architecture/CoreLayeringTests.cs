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
        var schema = SchemaTypes();
        var offending = Graph.Value.Uses
            .Where(u => !CoreLayers.MayUse(u.FromFolder, u.ToFolder) && !schema.Contains(u.To))
            .Select(u => $"{u.FromFolder} → {u.ToFolder}: {u.From} uses {u.To}")
            .ToList();

        Assert.True(offending.Count == 0,
            "A Core folder may use only folders of lower layers (tests/Architecture/CoreLayers, docs/architecture.md). "
            + "Move the shared piece down, or give the lower folder a small interface that the upper one implements:"
            + Environment.NewLine + string.Join(Environment.NewLine, offending));
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
