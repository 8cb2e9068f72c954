using System.Reflection;
using System.Text.RegularExpressions;

namespace RustDesk.Tests.Architecture;

/// <summary>
/// Which Core feature folder uses which, read from the source of RustDesk.Core: what the compiled IL cannot show.
/// C# copies a constant's value into the code that uses it, so <see cref="CoreDependencyGraph"/> never sees
/// <c>ClientDevice.DescriptionPrefix</c> used from <c>Sessions</c>; the source names the type. Each file counts for
/// the folder of its namespace; it uses a type of another folder when it names it qualified
/// (<c>RustDesk.Core.X.T</c>, <c>X.T</c>, <c>X.T.Member</c>) or imports <c>RustDesk.Core.X</c> and names <c>T</c>.
/// An import of another folder that names none of its types counts too (as <c>(unused using)</c>): an unused using
/// is a use waiting to happen, and the layering should not depend on whether someone cleaned up.
/// Comments and the text of plain string literals are left out.
/// </summary>
internal static partial class CoreSourceUses
{
    private const string CorePrefix = "RustDesk.Core.";

    public static string CoreSourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RustDesk.Blazor.sln")))
            {
                return Path.Combine(dir.FullName, "RustDesk.Core");
            }
        }
        throw new InvalidOperationException("RustDesk.Blazor.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every cross-folder use in the source files under <paramref name="coreDirectory"/>.</summary>
    public static IReadOnlyList<CoreDependencyGraph.Use> Read(string coreDirectory, Assembly core)
    {
        var types = TypesByNamespace(core);
        var uses = new HashSet<CoreDependencyGraph.Use>();
        foreach (var file in Directory.EnumerateFiles(coreDirectory, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(coreDirectory, file);
            if (relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var use in UsesIn(relative, File.ReadAllText(file), types))
            {
                uses.Add(use);
            }
        }
        return [.. uses.OrderBy(u => u.FromFolder).ThenBy(u => u.ToFolder).ThenBy(u => u.From).ThenBy(u => u.To)];
    }

    /// <summary>
    /// The uses in one file's <paramref name="source"/>; <paramref name="types"/> maps a namespace below
    /// <c>RustDesk.Core</c> ("Sessions", "Authentication.Lockout") to the simple names of its top-level types.
    /// </summary>
    internal static IEnumerable<CoreDependencyGraph.Use> UsesIn(
        string fileName, string source, IReadOnlyDictionary<string, HashSet<string>> types)
    {
        var code = WithoutCommentsAndStrings(source);
        var ns = NamespaceDeclaration().Match(code) is { Success: true } m ? m.Groups["ns"].Value : null;
        var folder = CoreDependencyGraph.FolderOf(ns);
        if (folder is null)
        {
            yield break;
        }
        var relativeNs = ns![CorePrefix.Length..];
        var imports = new List<string>();
        foreach (Match directive in UsingDirective().Matches(code))
        {
            var target = directive.Groups["target"].Value;
            if (directive.Groups["static"].Success || directive.Groups["alias"].Success)
            {
                var dot = target.LastIndexOf('.');
                if (dot > 0 && Use(target[..dot], target[(dot + 1)..]) is { } typeUse)
                {
                    yield return typeUse;
                }
            }
            else
            {
                imports.Add(target);
            }
        }
        var body = UsingDirective().Replace(code, "");
        var names = new HashSet<string>(Identifier().Matches(body).Select(i => i.Value), StringComparer.Ordinal);
        foreach (var import in imports)
        {
            var importFolder = CoreDependencyGraph.FolderOf(CorePrefix + import);
            if (importFolder is null || importFolder == folder)
            {
                continue;
            }
            var named = types.TryGetValue(import, out var declared) ? declared.Where(names.Contains).ToList() : [];
            if (named.Count == 0)
            {
                yield return new(folder, fileName, importFolder, CorePrefix + import + " (unused using)");
            }
            foreach (var type in named)
            {
                yield return new(folder, fileName, importFolder, CorePrefix + import + "." + type);
            }
        }
        foreach (Match chain in QualifiedName().Matches(body))
        {
            var parts = chain.Value.Split('.');
            var start = chain.Value.StartsWith(CorePrefix, StringComparison.Ordinal) ? 2 : 0;
            for (var k = start + 1; k < parts.Length; k++)
            {
                var qualifier = string.Join('.', parts[start..k]);
                if ((Use(qualifier, parts[k]) ?? (start == 0 ? Use(relativeNs + "." + qualifier, parts[k]) : null)) is { } typeUse)
                {
                    yield return typeUse;
                    break;
                }
            }
        }

        CoreDependencyGraph.Use? Use(string typeNamespace, string type)
        {
            if (typeNamespace.StartsWith(CorePrefix, StringComparison.Ordinal))
            {
                typeNamespace = typeNamespace[CorePrefix.Length..];
            }
            var toFolder = CoreDependencyGraph.FolderOf(CorePrefix + typeNamespace);
            return toFolder is not null && toFolder != folder && types.TryGetValue(typeNamespace, out var declared) && declared.Contains(type)
                ? new(folder, fileName, toFolder, CorePrefix + typeNamespace + "." + type)
                : null;
        }
    }

    /// <summary>Namespace below <c>RustDesk.Core</c> → the simple names of its top-level types (generic arity dropped).</summary>
    internal static IReadOnlyDictionary<string, HashSet<string>> TypesByNamespace(Assembly core)
    {
        var types = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in core.GetTypes())
        {
            if (type.IsNested || type.Namespace is not { } ns || !ns.StartsWith(CorePrefix, StringComparison.Ordinal) || type.Name.StartsWith('<'))
            {
                continue;
            }
            var key = ns[CorePrefix.Length..];
            if (!types.TryGetValue(key, out var names))
            {
                types[key] = names = new HashSet<string>(StringComparer.Ordinal);
            }
            var tick = type.Name.IndexOf('`');
            names.Add(tick < 0 ? type.Name : type.Name[..tick]);
        }
        return types;
    }

    /// <summary>
    /// The code without comments and without the text of plain string and character literals (a table name is no
    /// use of a type). Interpolated strings stay whole: their holes are code.
    /// </summary>
    internal static string WithoutCommentsAndStrings(string source) =>
        CommentOrLiteral().Replace(source, m => m.Value[0] switch
        {
            '/' => " ",
            '$' => m.Value,
            '\'' => "' '",
            _ => "\"\"",
        });

    [GeneratedRegex("\\$*\"\"\"[\\s\\S]*?\"\"\"|(?:\\$@|@\\$?)\"(?:\"\"|[^\"])*\"|\\$?\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'|//[^\\n]*|/\\*[\\s\\S]*?\\*/")]
    private static partial Regex CommentOrLiteral();

    [GeneratedRegex(@"^\s*namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?<static>static\s+)?(?:(?<alias>\w+)\s*=\s*)?RustDesk\.Core\.(?<target>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*(?:\.[A-Z]\w*)+")]
    private static partial Regex QualifiedName();
}
