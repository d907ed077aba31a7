using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>Reads PDFs back with PdfPig for "the document says X" and "nothing leaves the margins" checks.</summary>
public static class PdfText
{
    /// <summary>A4 in points (210 × 297 mm); PDFsharp writes the MediaBox rounded to 595 × 842.</summary>
    public const double A4Width = 595.28;
    public const double A4Height = 841.89;

    /// <summary>
    /// The page's text in drawing order, white space folded; a line break becomes a space, so text wrapped over
    /// several lines reads as one sentence.
    /// </summary>
    public static string TextOf(Page page)
    {
        var text = new StringBuilder();
        Letter? previous = null;
        foreach (var letter in page.Letters)
        {
            if (previous is not null
                && (Math.Abs(letter.StartBaseLine.Y - previous.StartBaseLine.Y) > 0.5
                    || Math.Abs(letter.StartBaseLine.X - previous.EndBaseLine.X) > 1))
            {
                text.Append(' ');
            }

            text.Append(letter.Value);
            previous = letter;
        }

        return Html.Fold(text.ToString()).Trim();
    }

    public static List<string> Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(TextOf)];
    }

    /// <summary>Letters whose box leaves the rectangle; empty means everything is inside.</summary>
    public static List<string> LettersOutside(byte[] pdf, double left, double right, double bottom, double top)
    {
        using var document = PdfDocument.Open(pdf);
        return
        [
            .. document.GetPages().SelectMany(page => page.Letters
                .Where(l => !string.IsNullOrWhiteSpace(l.Value))
                .Where(l => l.BoundingBox.Left < left || l.BoundingBox.Right > right || l.BoundingBox.Bottom < bottom || l.BoundingBox.Top > top)
                .Select(l => $"page {page.Number}: '{l.Value}' at {l.BoundingBox}")),
        ];
    }

    public static double Millimetres(double mm) => mm / 25.4 * 72;
}
