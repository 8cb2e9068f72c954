using Mono.Cecil;
using Mono.Cecil.Cil;

namespace RustDesk.Tests.Architecture;

/// <summary>
/// Which Core feature folder uses which, read from the compiled IL of RustDesk.Core with Mono.Cecil (the reader
/// NetArchTest is built on): signatures, fields, attributes and every type, method and field a method body touches,
/// async state machines and lambdas included (they count for the folder of the type that declares them).
/// </summary>
internal sealed class CoreDependencyGraph
{
    private const string CorePrefix = "RustDesk.Core.";

    /// <summary>One use of a type of another folder: <paramref name="From"/> (full name) uses <paramref name="To"/>.</summary>
    internal sealed record Use(string FromFolder, string From, string ToFolder, string To);

    /// <summary>Every cross-folder use, one per (using type, used type).</summary>
    public IReadOnlyList<Use> Uses { get; }

    private CoreDependencyGraph(IReadOnlyList<Use> uses) => Uses = uses;

    /// <summary>The folders: <c>RustDesk.Core.X</c> is folder X, and the sub-folders listed here are folders of their own.</summary>
    public static readonly string[] SubFolders = ["Accounts.Settings", "Authentication.Lockout", "Passkeys.Settings", "Sessions.Devices", "TwoFactor.Settings"];

    public static string? FolderOf(string? @namespace)
    {
        if (@namespace is null || !@namespace.StartsWith(CorePrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = @namespace[CorePrefix.Length..];
        foreach (var sub in SubFolders)
        {
            if (rest == sub || rest.StartsWith(sub + ".", StringComparison.Ordinal))
            {
                return sub;
            }
        }
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    public static CoreDependencyGraph Read(string assemblyPath)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var uses = new HashSet<Use>();
        foreach (var type in assembly.MainModule.Types)
        {
            var folder = FolderOf(OuterNamespace(type));
            if (folder is null)
            {
                continue;
            }
            var used = new HashSet<TypeReference>();
            Collect(type, used);
            foreach (var reference in used)
            {
                var toFolder = FolderOf(OuterNamespace(reference));
                if (toFolder is not null && toFolder != folder)
                {
                    uses.Add(new Use(folder, type.FullName, toFolder, reference.FullName));
                }
            }
        }
        return new CoreDependencyGraph([.. uses.OrderBy(u => u.FromFolder).ThenBy(u => u.ToFolder).ThenBy(u => u.From).ThenBy(u => u.To)]);
    }

    /// <summary>Folder → the folders it uses.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Edges()
    {
        var edges = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var use in Uses)
        {
            if (!edges.TryGetValue(use.FromFolder, out var to))
            {
                edges[use.FromFolder] = to = new SortedSet<string>(StringComparer.Ordinal);
            }
            to.Add(use.ToFolder);
        }
        return edges;
    }

    private static string OuterNamespace(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type.Namespace;
    }

    private static void Collect(TypeDefinition type, HashSet<TypeReference> used)
    {
        Add(type.BaseType, used);
        foreach (var i in type.Interfaces)
        {
            Add(i.InterfaceType, used);
        }
        Attributes(type, used);
        foreach (var g in type.GenericParameters)
        {
            foreach (var c in g.Constraints)
            {
                Add(c.ConstraintType, used);
            }
        }
        foreach (var field in type.Fields)
        {
            Add(field.FieldType, used);
            Attributes(field, used);
        }
        foreach (var property in type.Properties)
        {
            Add(property.PropertyType, used);
            Attributes(property, used);
        }
        foreach (var e in type.Events)
        {
            Add(e.EventType, used);
        }
        foreach (var method in type.Methods)
        {
            AddMethod(method, used);
            Attributes(method, used);
            if (!method.HasBody)
            {
                continue;
            }
            foreach (var variable in method.Body.Variables)
            {
                Add(variable.VariableType, used);
            }
            foreach (var handler in method.Body.ExceptionHandlers)
            {
                Add(handler.CatchType, used);
            }
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: Add(t, used); break;
                    case MethodReference m: AddMethod(m, used); break;
                    case FieldReference f: Add(f.DeclaringType, used); Add(f.FieldType, used); break;
                }
            }
        }
        foreach (var nested in type.NestedTypes)
        {
            Collect(nested, used);
        }
    }

    private static void AddMethod(MethodReference method, HashSet<TypeReference> used)
    {
        Add(method.DeclaringType, used);
        Add(method.ReturnType, used);
        foreach (var p in method.Parameters)
        {
            Add(p.ParameterType, used);
        }
        if (method is GenericInstanceMethod generic)
        {
            foreach (var a in generic.GenericArguments)
            {
                Add(a, used);
            }
        }
    }

    private static void Attributes(ICustomAttributeProvider provider, HashSet<TypeReference> used)
    {
        foreach (var attribute in provider.CustomAttributes)
        {
            Add(attribute.AttributeType, used);
            foreach (var argument in attribute.ConstructorArguments)
            {
                Add(argument.Type, used);
                if (argument.Value is TypeReference t)
                {
                    Add(t, used);
                }
            }
        }
    }

    private static void Add(TypeReference? type, HashSet<TypeReference> used)
    {
        switch (type)
        {
            case null:
            case GenericParameter:
                return;
            case GenericInstanceType generic:
                Add(generic.ElementType, used);
                foreach (var a in generic.GenericArguments)
                {
                    Add(a, used);
                }
                return;
            case TypeSpecification spec: // arrays, by-ref, pointers, modifiers
                Add(spec.ElementType, used);
                return;
            default:
                used.Add(type);
                return;
        }
    }
}
