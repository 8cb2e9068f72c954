using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;

namespace RustDesk.Tests.Web;

/// <summary>
/// The console's UI text: Strings.resx (English) and Strings.de.resx (German) agree with each other and with every
/// <c>L[...]</c> in RustDesk.Web. Read from the source tree, so a missing key fails here and not in front of a user.
/// </summary>
public sealed partial class LocalizationTests
{
    /// <summary>
    /// German values that may equal the English ones: words German uses unchanged. Everything else identical is
    /// an untranslated string.
    /// </summary>
    private static readonly HashSet<string> SameInBothLanguages = new(StringComparer.Ordinal)
    {
        "Administrator",
        "Support",
        "Passkeys", // the word German uses too (FIDO Alliance, Apple, Google, Microsoft)
    };

    /// <summary>
    /// Keys built at run time, by their literal prefix, with every suffix the code can append. A new dynamic key
    /// must be added here, or the scan below fails.
    /// </summary>
    private static readonly Dictionary<string, IReadOnlyList<string>> DynamicKeys = new(StringComparer.Ordinal)
    {
        ["SettingsError."] = Enum.GetNames<SettingsError>(),
        ["Role."] = Roles.All,
        ["AddressChange."] = Enum.GetNames<RustDesk.Core.EmailVerification.AddressChangeStatus>(),
        // Every kind the application writes gets a label; AuditText falls back to the raw kind only for unknown ones.
        ["Audit.Kind."] = typeof(RustDesk.Core.Audit.AuditKinds).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList(),
    };

    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly string WebProject = Path.Combine(RepoRoot, "RustDesk.Web");
    private static readonly Dictionary<string, string> English = ReadResx(Path.Combine(WebProject, "Resources", "Strings.resx"));
    private static readonly Dictionary<string, string> German = ReadResx(Path.Combine(WebProject, "Resources", "Strings.de.resx"));

    [Fact]
    public void Resx_EnglishAndGerman_HaveTheSameKeys()
    {
        var missingInGerman = English.Keys.Except(German.Keys).Order().ToList();
        var missingInEnglish = German.Keys.Except(English.Keys).Order().ToList();

        Assert.True(missingInGerman.Count == 0 && missingInEnglish.Count == 0,
            $"Missing in Strings.de.resx: {string.Join(", ", missingInGerman)}; missing in Strings.resx: {string.Join(", ", missingInEnglish)}");
        Assert.NotEmpty(English);
    }

    [Fact]
    public void Resx_EveryValue_IsNotEmpty()
    {
        var empty = English.Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => "en " + e.Key)
            .Concat(German.Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => "de " + e.Key))
            .ToList();

        Assert.True(empty.Count == 0, "Empty values: " + string.Join(", ", empty));
    }

    [Fact]
    public void Resx_EveryKey_HasTheSamePlaceholdersInBothLanguages()
    {
        var failures = English.Keys.Intersect(German.Keys)
            .Where(key => !Placeholders(English[key]).SequenceEqual(Placeholders(German[key])))
            .Select(key => $"{key}: en [{string.Join(",", Placeholders(English[key]))}] de [{string.Join(",", Placeholders(German[key]))}]")
            .ToList();

        Assert.True(failures.Count == 0, "Placeholders differ: " + string.Join("; ", failures));
    }

    [Fact]
    public void Resx_EveryValue_IsAValidFormatString()
    {
        var failures = new List<string>();
        foreach (var (language, strings) in new[] { ("en", English), ("de", German) })
        {
            foreach (var (key, value) in strings)
            {
                var args = Enumerable.Repeat<object>(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), Placeholders(value).DefaultIfEmpty(-1).Max() + 1).ToArray();
                try
                {
                    _ = string.Format(CultureInfo.GetCultureInfo(language), value, args);
                }
                catch (FormatException e)
                {
                    failures.Add($"{language} {key}: {e.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Invalid format strings: " + string.Join("; ", failures));
    }

    [Fact]
    public void Resx_GermanValues_AreTranslated()
    {
        var untranslated = English.Keys.Intersect(German.Keys)
            .Where(key => string.Equals(English[key], German[key], StringComparison.Ordinal)
                && !SameInBothLanguages.Contains(German[key]))
            .Select(key => $"{key} = \"{German[key]}\"")
            .ToList();

        Assert.True(untranslated.Count == 0, "German value equals the English one: " + string.Join("; ", untranslated));
    }

    [Theory]
    [InlineData("SettingsError.PasswordTooShort", PasswordRules.MinLength)]
    [InlineData("SettingsError.PasswordTooLong", PasswordRules.MaxLength)]
    [InlineData("SettingsError.EmailInvalid", ConsoleUser.MaxEmailLength)]
    public void Resx_LimitInMessage_MatchesTheRule(string key, int limit)
    {
        // These messages spell the limit out instead of formatting it; they must follow a change of the rule.
        Assert.Contains(limit.ToString(CultureInfo.InvariantCulture), English[key], StringComparison.Ordinal);
        Assert.Contains(limit.ToString(CultureInfo.InvariantCulture), German[key], StringComparison.Ordinal);
    }

    [Fact]
    public void Resx_EveryAuditDetailKey_HasATextInBothLanguages()
    {
        // AuditText renders a structured detail through "Audit.Detail.<key>" (with a varying number of arguments, so
        // through GetString and not an indexer this scan sees); a key without a text would show the stored English.
        var missing = RustDesk.Core.Audit.AuditDetails.AllKeys.Select(k => "Audit.Detail." + k)
            .Where(k => !English.ContainsKey(k) || !German.ContainsKey(k)).ToList();

        Assert.True(missing.Count == 0, "Audit details without a text: " + string.Join("; ", missing));
    }

    /// <summary>
    /// Every word Core writes as an argument of an audit detail: the steps of sign-in and of a session's dialogs, the
    /// budgets, the sign-in methods, why a passkey or a staff action was refused, and the fixed words of the settings
    /// and profile details. Read from the constants, so a new one needs its texts.
    /// </summary>
    private static IEnumerable<string> AuditArguments()
    {
        static IEnumerable<string> Constants(Type type, Func<string, bool>? name = null) => type.GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && (name is null || name(f.Name)))
            .Select(f => (string)f.GetRawConstantValue()!);

        return Constants(typeof(RustDesk.Core.Audit.SignInSteps))
            .Concat(Constants(typeof(RustDesk.Core.ReVerification.ProofSteps)))
            .Concat(Constants(typeof(RustDesk.Core.Audit.SignInMethods)))
            .Concat(Constants(typeof(RustDesk.Core.Passkeys.PasskeyRefusals)))
            .Concat(Constants(typeof(RustDesk.Core.Audit.AuditDetails), n => n.EndsWith("Budget", StringComparison.Ordinal) || n.StartsWith("Refused", StringComparison.Ordinal)))
            .Concat(Enum.GetValues<RustDesk.Core.Passkeys.PasskeyCheck>().Where(c => c != RustDesk.Core.Passkeys.PasskeyCheck.Verified)
                .Select(RustDesk.Core.Passkeys.PasskeyCeremonies.Describe))
            .Concat(Enum.GetNames<UserStatus>())
            .Concat(["on", "off", "changed", "unchanged"]);
    }

    [Fact]
    public void Resx_EveryAuditArgument_HasATextInBothLanguages()
    {
        // AuditText translates an argument through "Audit.Arg.<arg>"; one without a text would show English in German.
        var arguments = AuditArguments().Distinct().ToList();
        var missing = arguments.Select(RustDesk.Web.Components.Shared.AuditText.ArgumentKey)
            .Where(k => !English.ContainsKey(k) || !German.ContainsKey(k)).ToList();

        Assert.True(missing.Count == 0, "Audit arguments without a text: " + string.Join("; ", missing));
        Assert.Contains(RustDesk.Core.Audit.SignInSteps.Passkey, arguments);
        Assert.Contains(RustDesk.Core.ReVerification.ProofSteps.ReVerificationPasskey, arguments);
        Assert.Contains(RustDesk.Core.Audit.SignInMethods.Passkey, arguments);
        Assert.Contains(RustDesk.Core.Passkeys.PasskeyRefusals.NoChallenge, arguments);
    }

    [Fact]
    public void Resx_EveryAuditKind_HasALabelInBothLanguages()
    {
        var missing = typeof(RustDesk.Core.Audit.AuditKinds).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => "Audit.Kind." + (string)f.GetRawConstantValue()!)
            .Where(k => !English.ContainsKey(k) || !German.ContainsKey(k)).ToList();

        Assert.True(missing.Count == 0, "Audit kinds without a label: " + string.Join("; ", missing));
    }

    [Fact]
    public void Resx_EveryFixedAuditActorAndAlarm_HasATextInBothLanguages()
    {
        var keys = RustDesk.Core.Audit.AuditActors.All.Select(RustDesk.Web.Components.Shared.AuditText.ActorKey)
            .Concat(new[] { RustDesk.Core.Audit.AuditDetails.AlarmConsecutive, RustDesk.Core.Audit.AuditDetails.AlarmPerMinute,
                RustDesk.Core.Audit.AuditDetails.AlarmPerHour }.Select(a => "Audit.Detail." + RustDesk.Core.Audit.AuditDetails.Alarm(a, 1).Key))
            .ToList();
        var missing = keys.Where(k => !English.ContainsKey(k) || !German.ContainsKey(k)).ToList();

        Assert.True(missing.Count == 0, "Fixed actors or alarms without a text: " + string.Join("; ", missing));
        Assert.Equal(3, RustDesk.Core.Audit.AuditActors.All.Count);
    }

    [Fact]
    public void Source_EveryLiteralKey_ExistsInTheResx()
    {
        var usages = ScanUsages();
        var missing = usages.Where(u => u.Key is not null && !English.ContainsKey(u.Key))
            .Select(u => $"{u.Location}: {u.Key}").ToList();

        Assert.True(missing.Count == 0, "Keys used but not in Strings.resx: " + string.Join("; ", missing));
        // The scan must see the code; without usages every check here would pass on nothing.
        Assert.Contains(usages, u => u.Key == "Common.Submit");
    }

    [Fact]
    public void Source_EveryDynamicKey_HasAllItsValuesInTheResx()
    {
        var usages = ScanUsages();
        var failures = new List<string>();
        foreach (var usage in usages.Where(u => u.Key is null))
        {
            if (usage.Prefix is null || !DynamicKeys.TryGetValue(usage.Prefix, out var suffixes))
            {
                failures.Add($"{usage.Location}: L[{usage.Expression}] is not a literal nor a known dynamic key; list its keys in {nameof(DynamicKeys)}");
                continue;
            }
            failures.AddRange(suffixes.Where(s => !English.ContainsKey(usage.Prefix + s))
                .Select(s => $"{usage.Location}: {usage.Prefix + s}"));
        }

        Assert.True(failures.Count == 0, "Dynamic keys without a resource: " + string.Join("; ", failures));
        Assert.Contains(usages, u => u.Prefix == "SettingsError.");
        Assert.Contains(usages, u => u.Prefix == "Role.");
    }

    [Fact]
    public void Source_FormatArguments_CoverThePlaceholdersOfTheKey()
    {
        // IStringLocalizer formats only when arguments are passed: without them "{0}" reaches the page as is,
        // with too few string.Format throws while rendering.
        var failures = new List<string>();
        foreach (var usage in ScanUsages())
        {
            foreach (var key in KeysOf(usage).Where(English.ContainsKey))
            {
                var needed = new[] { English, German }.Max(s => Placeholders(s.GetValueOrDefault(key, "")).DefaultIfEmpty(-1).Max() + 1);
                if (needed != usage.ArgumentCount)
                {
                    failures.Add($"{usage.Location}: {key} gets {usage.ArgumentCount} argument(s), the text uses {needed}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    /// <summary>The keys a usage can look up: its literal key, or every key of its known dynamic prefix.</summary>
    private static IEnumerable<string> KeysOf(Usage usage) =>
        usage.Key is not null ? [usage.Key]
        : usage.Prefix is not null && DynamicKeys.TryGetValue(usage.Prefix, out var suffixes) ? suffixes.Select(s => usage.Prefix + s)
        : [];

    private static int[] Placeholders(string value) =>
        PlaceholderPattern().Matches(value.Replace("{{", "", StringComparison.Ordinal))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToArray();

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>The name each file gives the console's localizer (<c>@inject IStringLocalizer&lt;Strings&gt; L</c>).</summary>
    [GeneratedRegex(@"IStringLocalizer<(?:RustDesk\.Web\.Resources\.)?Strings>\s+(\w+)")]
    private static partial Regex LocalizerName();

    private sealed record Usage(string Location, string Expression, string? Key, string? Prefix, int ArgumentCount);

    private static List<Usage> ScanUsages()
    {
        var usages = new List<Usage>();
        var files = Directory.EnumerateFiles(WebProject, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var name in LocalizerName().Matches(text).Select(m => m.Groups[1].Value).Distinct())
            {
                foreach (Match match in Regex.Matches(text, $@"(?<![\w.]){Regex.Escape(name)}\["))
                {
                    var location = $"{Path.GetRelativePath(RepoRoot, file)}:{text[..match.Index].Count(c => c == '\n') + 1}";
                    var arguments = SplitArguments(text, match.Index + match.Length);
                    usages.Add(Classify(location, arguments));
                }
            }
        }
        return usages;
    }

    private static Usage Classify(string location, List<string> arguments)
    {
        var expression = arguments[0].Trim();
        var count = arguments.Count - 1;
        var literal = Regex.Match(expression, @"^""([^""\\{}]*)""$");
        if (literal.Success)
        {
            return new(location, expression, literal.Groups[1].Value, null, count);
        }
        var prefix = Regex.Match(expression, @"^""([^""\\]*)""\s*\+") is { Success: true } concatenated
            ? concatenated
            : Regex.Match(expression, @"^\$""([^""\\{]*)\{");
        return new(location, expression, null, prefix.Success ? prefix.Groups[1].Value : null, count);
    }

    /// <summary>The comma-separated arguments of an indexer starting at <paramref name="start"/>, up to its closing bracket.</summary>
    private static List<string> SplitArguments(string text, int start)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != c)
                {
                    end += text[end] == '\\' ? 2 : 1;
                }
                current.Append(text, i, end - i + 1);
                i = end;
                continue;
            }
            if (depth == 0 && c is ']' or ',')
            {
                arguments.Add(current.ToString());
                current.Clear();
                if (c == ']')
                {
                    return arguments;
                }
                continue;
            }
            depth += c switch { '(' or '[' or '{' => 1, ')' or ']' or '}' => -1, _ => 0 };
            current.Append(c);
        }
        throw new InvalidOperationException("Unclosed localizer indexer at " + start);
    }

    private static Dictionary<string, string> ReadResx(string path)
    {
        var entries = XDocument.Load(path).Root!.Elements("data")
            .Select(d => (Key: (string)d.Attribute("name")!, Value: (string?)d.Element("value") ?? ""))
            .ToList();
        var duplicates = entries.GroupBy(e => e.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{Path.GetFileName(path)} has duplicate keys: {string.Join(", ", duplicates)}");
        return entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RustDesk.Blazor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("RustDesk.Blazor.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// The families of MudBlazor's own texts the console shows (pagers, the date range picker, dialogs, snackbars,
    /// alerts, chips, clearable inputs, tabs, selects, tables and the data grid's loading, sorting and selection):
    /// every key MudBlazor has for them is translated, so a German page has no English control label.
    /// </summary>
    [Fact]
    public void MudBlazorTexts_EveryKeyOfTheComponentsShown_IsTranslated()
    {
        string[] families =
        [
            "MudBaseDatePicker_", "MudDateRangePicker_", "MudRangeInput_", "MudDataGridPager_", "MudTablePager_", "MudPagination_",
            "MudDialog_", "MudSnackbar_", "MudAlert_", "MudChip_", "MudInput_Clear", "MudTabs_Scroll", "MudSelect_", "MudFormComponent_",
            "MudDataGrid_Loading", "MudDataGrid_Sort", "MudDataGrid_Unsort", "MudDataGrid_SelectAllRows", "MudDataGrid_SelectRow",
            "MudTable_Loading", "MudTable_SelectAllRows", "MudTable_SelectRow",
        ];
        var resources = new System.Resources.ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudBlazor.MudButton).Assembly)
            .GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!;
        var mudKeys = resources.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key)
            .Where(key => families.Any(f => key.StartsWith(f, StringComparison.Ordinal)))
            // The pagers' "1-25 of 80" is the console's own text (Audit.PagerInfo), passed to each pager as InfoFormat.
            .Where(key => key != "MudDataGridPager_InfoFormat")
            .ToList();
        Assert.True(mudKeys.Count >= 30, $"MudBlazor's texts were not found ({mudKeys.Count})");

        Assert.Empty(mudKeys.Where(key => !German.ContainsKey(RustDesk.Web.Hosting.ConsoleMudLocalizer.Prefix + key)).Order());
    }
}
