using System.Globalization;

namespace RustDesk.Load;

/// <summary><c>--name value</c> pairs, with the defaults every scenario shares.</summary>
public sealed class LoadOptions
{
    public const string CommonHelp =
        "--url http://127.0.0.1:21114  --user admin  --password <admin's>  --client-address 198.51.100.10 " +
        "(X-Forwarded-For of the legitimate client; the console must list 127.0.0.1 in ReverseProxy:KnownProxies)";

    private readonly Dictionary<string, string> _values;

    private LoadOptions(Dictionary<string, string> values) => _values = values;

    public static LoadOptions Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                values[name] = "true";
            }
            else if (name is not null)
            {
                values[name] = arg;
                name = null;
            }
        }
        return new LoadOptions(values);
    }

    public Uri Url => new(Text("url", "http://127.0.0.1:21114").TrimEnd('/') + "/");

    public string User => Text("user", "admin");

    public string Password => Text("password", Environment.GetEnvironmentVariable("RD_LOAD_PASSWORD") ?? "");

    public string ClientAddress => Text("client-address", "198.51.100.10");

    public string Text(string name, string fallback) => _values.TryGetValue(name, out var value) ? value : fallback;

    public int Number(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The same options, for a child process.</summary>
    public IEnumerable<string> ToArguments() => _values.SelectMany(p => new[] { "--" + p.Key, p.Value });
}
