using Hagenow.CdoForum.Web.Events;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>The look both documents share: colours, type sizes, document set-up and the page footer.</summary>
internal sealed class PdfTheme
{
    public static readonly XColor Ink = XColor.FromArgb(0x1F, 0x23, 0x28);
    public static readonly XColor Navy = XColor.FromArgb(0x14, 0x3A, 0x5C);
    public static readonly XColor Accent = XColor.FromArgb(0x00, 0x6E, 0x8A);
    public static readonly XColor Muted = XColor.FromArgb(0x55, 0x5E, 0x68);
    public static readonly XColor RuleColor = XColor.FromArgb(0xC8, 0xD0, 0xD9);
    public static readonly XColor Tint = XColor.FromArgb(0xEE, 0xF3, 0xF7);

    public PdfTheme(FontSet fonts)
    {
        TextStyle Style(double size, FontFace face, XColor color, double lineHeight) =>
            new(PdfFontResolver.Font(fonts, size, face), color, lineHeight);

        Series = Style(11, FontFace.SemiBold, Accent, 15);
        Title = Style(20, FontFace.Bold, Navy, 25.5);
        When = Style(12.5, FontFace.SemiBold, Ink, 18);
        Place = Style(10.5, FontFace.Regular, Muted, 15);
        Heading = Style(12.5, FontFace.SemiBold, Navy, 18);
        Body = Style(9.5, FontFace.Regular, Ink, 13.2);
        Strong = Style(9.5, FontFace.SemiBold, Ink, 13.2);
        Small = Style(8.5, FontFace.Regular, Muted, 11.5);
        SmallStrong = Style(8.5, FontFace.SemiBold, Ink, 11.5);
        Note = Style(9, FontFace.Italic, Ink, 12.5);
        Label = Style(8, FontFace.SemiBold, Muted, 11);
        Footer = Style(7.5, FontFace.Regular, Muted, 10);
    }

    public TextStyle Series { get; }

    public TextStyle Title { get; }

    public TextStyle When { get; }

    public TextStyle Place { get; }

    public TextStyle Heading { get; }

    public TextStyle Body { get; }

    public TextStyle Strong { get; }

    public TextStyle Small { get; }

    public TextStyle SmallStrong { get; }

    public TextStyle Note { get; }

    public TextStyle Label { get; }

    public TextStyle Footer { get; }

    public static PdfDocument NewDocument(Event ev, string title, string subject, DateTime created)
    {
        var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Author = ev.Organiser.Name;
        document.Info.Subject = subject;
        document.Info.Creator = "Hagenow.CdoForum";
        document.Info.CreationDate = created;
        document.Info.ModificationDate = created;
        document.Language = "de";
        document.ViewerPreferences.DisplayDocTitle = true;
        return document;
    }

    /// <summary>Saves the document with XMP metadata that names it PDF/UA-1 (PDFsharp writes XMP without that entry).</summary>
    public static void Save(PdfDocument document, Stream output)
    {
        using var buffer = new MemoryStream();
        document.Save(buffer, closeStream: false);
        PdfUaMetadata.Replace(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), document.Info, output);
    }

    /// <summary>A hairline above the footer, <paramref name="left"/> text on the left, "Seite X von Y" on the right.</summary>
    public void DrawFooter(XGraphics gfx, PageGeometry page, string left, int number, int count, bool showPageNumber)
    {
        var top = PageGeometry.A4Height - page.Bottom + 12;
        gfx.DrawLine(new XPen(RuleColor, 0.5), page.BodyLeft, top, page.BodyRight, top);
        var numberText = showPageNumber ? $"Seite {number} von {count}" : "";
        var numberWidth = numberText.Length > 0 ? gfx.MeasureString(numberText, Footer.Font).Width + 12 : 0;
        var y = top + 5;
        foreach (var line in TextWrap.Wrap(gfx, left, Footer.Font, page.BodyWidth - numberWidth))
        {
            PageFlow.DrawLine(gfx, new TextLine(line, Footer), page.BodyLeft, y);
            y += Footer.LineHeight;
        }

        if (numberText.Length > 0)
        {
            PageFlow.DrawLine(gfx, new TextLine(numberText, Footer), page.BodyLeft, top + 5, page.BodyWidth, XStringAlignment.Far);
        }
    }
}
