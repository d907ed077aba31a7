namespace Hagenow.CdoForum.Web.Site;

/// <summary>CSV as German Excel reads it: semicolons, RFC 4180 quoting, CRLF, and no cell that a spreadsheet would run as a formula.</summary>
public static class Csv
{
    public const char Separator = ';';
    public const string LineEnd = "\r\n";

    public static string Line(IEnumerable<string?> cells) => string.Join(Separator, cells.Select(Cell)) + LineEnd;

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // Excel, LibreOffice and Google Sheets treat these first characters as the start of a formula (CSV injection).
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(";\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}
