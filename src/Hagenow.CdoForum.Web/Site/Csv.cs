using System.Text;

namespace Hagenow.CdoForum.Web.Site;

/// <summary>CSV as German Excel reads it: semicolons, RFC 4180 quoting, CRLF, and no cell that a spreadsheet would run as a formula.</summary>
public static class Csv
{
    public const char Separator = ';';
    public const string LineEnd = "\r\n";

    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(";,\t\"\r\n");

    public static string Line(IEnumerable<string?> cells) => string.Join(Separator, cells.Select(Cell)) + LineEnd;

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        value = Neutralise(value);

        // Quoted also for comma and tab: a program that splits on those instead of ';' still sees one cell.
        return value.AsSpan().IndexOfAny(NeedsQuotes) >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    /// <summary>
    /// Excel, LibreOffice and Google Sheets treat these first characters as the start of a formula (CSV injection);
    /// a program that splits cells on line breaks sees every line of a cell as a start, so each line is guarded.
    /// </summary>
    private static string Neutralise(string value)
    {
        var result = new StringBuilder(value.Length + 2);
        if (value[0] is '\t' or '\r')
        {
            result.Append('\'');
        }

        var lineStart = true;
        foreach (var c in value)
        {
            if (lineStart && c is '=' or '+' or '-' or '@')
            {
                result.Append('\'');
            }

            result.Append(c);
            lineStart = c is '\n' or '\r';
        }

        return result.ToString();
    }
}
