using AngleSharp.Dom;

namespace RustDesk.Tests.Web.Components.Settings;

/// <summary>Reads what MudBlazor renders around an input, as a user sees it.</summary>
internal static class MudFieldMarkup
{
    /// <summary>
    /// The error text shown under the field that holds <paramref name="input"/>, or null when it shows none.
    /// MudBlazor puts it in the helper-text line of the field's own <c>.mud-input-control</c>.
    /// </summary>
    public static string? FieldError(this IElement input)
    {
        var field = input.Closest(".mud-input-control")
            ?? throw new InvalidOperationException("The input is not inside a MudBlazor field: " + input.OuterHtml);
        var error = field.QuerySelector(".mud-input-helper-text.mud-input-error");
        var text = error?.TextContent.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>The text of the label a user reads for <paramref name="input"/>: its <c>label[for]</c> in the same field, else the label around it.</summary>
    public static string LabelOf(this IElement input)
    {
        var id = input.GetAttribute("id");
        var label = (id is null ? null : input.Closest(".mud-input-control")?.QuerySelector($"label[for='{id}']")) ?? input.Closest("label")
            ?? throw new InvalidOperationException("No label for " + input.OuterHtml);
        return label.TextContent.Trim();
    }
}
