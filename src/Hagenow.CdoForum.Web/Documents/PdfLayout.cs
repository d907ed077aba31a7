using System.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.UniversalAccessibility;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>A font with its colour and line height. Line height is the distance between baselines.</summary>
internal sealed record TextStyle(XFont Font, XColor Color, double LineHeight)
{
    public XBrush Brush { get; } = new XSolidBrush(Color);
}

/// <summary>
/// One laid-out line of text; <see cref="SpaceBefore"/> separates paragraphs. <see cref="StartsPart"/> marks the first
/// line of a piece of text, where a layout cell starts a new paragraph in the structure tree.
/// </summary>
internal readonly record struct TextLine(string Text, TextStyle Style, double SpaceBefore = 0, bool StartsPart = false)
{
    public double Height => SpaceBefore + Style.LineHeight;
}

/// <summary>
/// Widths of strings in a font, measured once per document: a 5,000-row list repeats the same words (organisations,
/// functions, the space) thousands of times, and PDFsharp's MeasureString allocates on every call. PDFsharp does not
/// kern, so a width depends only on the string and the font: the cache changes no output.
/// </summary>
internal sealed class TextWidths(XGraphics gfx)
{
    private readonly Dictionary<(XFont Font, string Text), double> _widths = [];

    public XGraphics Gfx { get; set; } = gfx;

    public double Of(string text, XFont font)
    {
        if (!_widths.TryGetValue((font, text), out var width))
        {
            width = Gfx.MeasureString(text, font).Width;
            _widths[(font, text)] = width;
        }

        return width;
    }
}

/// <summary>
/// Greedy word wrapping over <see cref="XGraphics.MeasureString(string, XFont)"/>. PDFsharp does not kern, so the width
/// of a line is the sum of its words and spaces: each word is measured once. A word wider than the line is broken after
/// a hyphen or slash if possible, else between letters.
/// </summary>
internal static class TextWrap
{
    private const double Tolerance = 0.01;

    public static List<string> Wrap(XGraphics gfx, string text, XFont font, double width) => Wrap(new TextWidths(gfx), text, font, width);

    /// <param name="keepSpaces">
    /// Ends a line broken at a space (or a paragraph end) with that space: it is invisible on the page, and text taken
    /// from the PDF (screen readers, copy and paste) keeps the words apart.
    /// </param>
    public static List<string> Wrap(TextWidths widths, string text, XFont font, double width, bool keepSpaces = false)
    {
        var lines = WrapCore(widths, text, font, width, keepSpaces ? " " : "");
        if (keepSpaces && lines.Count > 0)
        {
            lines[^1] = lines[^1].TrimEnd(' ');
        }

        return lines;
    }

    private static List<string> WrapCore(TextWidths widths, string text, XFont font, double width, string spaceBreak)
    {
        var lines = new List<string>();
        var space = widths.Of(" ", font);
        var line = new StringBuilder();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            line.Clear();
            var lineWidth = 0.0;
            foreach (var word in paragraph.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var wordWidth = widths.Of(word, font);
                if (line.Length > 0 && lineWidth + space + wordWidth <= width + Tolerance)
                {
                    line.Append(' ').Append(word);
                    lineWidth += space + wordWidth;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.Append(spaceBreak).ToString());
                    line.Clear();
                }

                var rest = word;
                while (wordWidth > width + Tolerance && rest.Length > 1)
                {
                    var (cut, hyphen) = BreakPoint(widths, rest, font, width);
                    lines.Add(hyphen ? rest[..cut] + "-" : rest[..cut]);
                    rest = rest[cut..];
                    wordWidth = widths.Of(rest, font);
                }

                line.Append(rest);
                lineWidth = wordWidth;
            }

            lines.Add(line.Append(spaceBreak).ToString());
        }

        return lines;
    }

    /// <summary>
    /// Where to cut a word that does not fit: after the last hyphen, slash or dot that fits; else between two letters,
    /// with a hyphen added (room for it is kept).
    /// </summary>
    private static (int Cut, bool Hyphen) BreakPoint(TextWidths widths, string word, XFont font, double width)
    {
        width -= widths.Of("-", font);
        var used = 0.0;
        var fits = 0;
        var lastSoftBreak = 0;
        for (var i = 0; i < word.Length; i++)
        {
            var length = char.IsHighSurrogate(word[i]) && i + 1 < word.Length ? 2 : 1;
            used += widths.Of(word.Substring(i, length), font);
            if (used > width + Tolerance)
            {
                break;
            }

            i += length - 1;
            fits = i + 1;
            if (word[i] is '-' or '/' or '–' or '@' or '.')
            {
                lastSoftBreak = fits;
            }
        }

        if (lastSoftBreak > 0)
        {
            return (Math.Min(lastSoftBreak, word.Length - 1), false);
        }

        var cut = Math.Clamp(fits, 1, word.Length - 1);
        return (cut, char.IsLetter(word[cut - 1]) && char.IsLetter(word[cut]));
    }
}

/// <summary>Page size and margins in points.</summary>
internal sealed record PageGeometry(double Left, double Top, double Right, double Bottom)
{
    public static readonly double A4Width = XUnit.FromMillimeter(210).Point;
    public static readonly double A4Height = XUnit.FromMillimeter(297).Point;

    /// <summary>A4 portrait: 22 mm left and right, 18 mm top, the body ends 20 mm above the bottom edge (room for the footer).</summary>
    public static PageGeometry A4Portrait { get; } =
        new(XUnit.FromMillimeter(22).Point, XUnit.FromMillimeter(18).Point, XUnit.FromMillimeter(22).Point, XUnit.FromMillimeter(20).Point);

    public double BodyLeft => Left;

    public double BodyRight => A4Width - Right;

    public double BodyWidth => BodyRight - BodyLeft;

    public double BodyBottom => A4Height - Bottom;
}

/// <summary>
/// Lays content down the pages of one document: a cursor <see cref="Y"/>, a new page when the next thing does not fit,
/// a running header drawn on each new page (<see cref="PageStarted"/>), and a footer drawn as an artifact when a page
/// is done (<see cref="Footer"/>). A tagged document cannot go back to an earlier page, so "Seite X von Y" needs the
/// page count up front: a <see cref="Measuring"/> flow runs the same layout without a document and counts the pages.
/// </summary>
internal sealed class PageFlow : IDisposable
{
    private XGraphics? _gfx;
    private TextWidths? _widths;

    public PageFlow(PdfDocument document, PageGeometry geometry)
        : this(document, geometry, PdfTags.For(document))
    {
    }

    private PageFlow(PdfDocument? document, PageGeometry geometry, PdfTags tags)
    {
        Document = document;
        Geometry = geometry;
        Tags = tags;
    }

    /// <summary>A flow that draws nothing (PDFsharp's measure context) and only counts pages.</summary>
    public static PageFlow Measuring(PageGeometry geometry) => new(null, geometry, PdfTags.None);

    public PdfDocument? Document { get; }

    public PageGeometry Geometry { get; }

    /// <summary>The structure tree being built; does nothing in a measuring flow.</summary>
    public PdfTags Tags { get; }

    /// <summary>Measured string widths; the real pass takes them over from the measuring pass (same fonts, same strings).</summary>
    public TextWidths? Widths
    {
        get => _widths;
        init => _widths = value;
    }

    /// <summary>Drawn at the top of every page after the first one is started, e.g. a repeated table header.</summary>
    public Action<PageFlow>? PageStarted { get; set; }

    /// <summary>Drawn on each page when it is done, as an artifact; gets the page number.</summary>
    public Action<XGraphics, int>? Footer { get; set; }

    /// <summary>Pages started so far: the current page's number.</summary>
    public int PageNumber { get; private set; }

    public XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page started.");

    public double Y { get; set; }

    /// <summary>Where the body of the current page starts, below its running header.</summary>
    public double BodyTop { get; private set; }

    public double Left => Geometry.BodyLeft;

    public double Width => Geometry.BodyWidth;

    public double Bottom => Geometry.BodyBottom;

    public double Remaining => Bottom - Y;

    /// <summary>True when nothing but the running header is on the current page.</summary>
    public bool AtPageStart => Y <= BodyTop + 0.001;

    public void NewPage()
    {
        EndPage();
        if (Document is null)
        {
            _gfx ??= XGraphics.CreateMeasureContext(new XSize(PageGeometry.A4Width, PageGeometry.A4Height), XGraphicsUnit.Point, XPageDirection.Downwards);
        }
        else
        {
            _gfx?.Dispose();
            var page = Document.AddPage();
            page.Size = PageSize.A4;
            page.Orientation = PageOrientation.Portrait;
            _gfx = XGraphics.FromPdfPage(page);
        }

        if (_widths is null)
        {
            _widths = new TextWidths(_gfx);
        }
        else
        {
            _widths.Gfx = _gfx;
        }

        PageNumber++;
        Y = Geometry.Top;
        PageStarted?.Invoke(this);
        BodyTop = Y;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> still fits (or the page is empty anyway).</summary>
    public void EnsureSpace(double height)
    {
        if (Y + height > Bottom && !AtPageStart)
        {
            NewPage();
        }
    }

    public List<TextLine> Layout(string text, TextStyle style, double width, double spaceBefore = 0)
    {
        var wrapped = TextWrap.Wrap(_widths ?? new TextWidths(Gfx), text, style.Font, width, keepSpaces: true);
        var lines = new List<TextLine>(wrapped.Count);
        for (var i = 0; i < wrapped.Count; i++)
        {
            lines.Add(new TextLine(wrapped[i], style, i == 0 ? spaceBefore : 0, StartsPart: i == 0));
        }

        return lines;
    }

    /// <summary>
    /// Draws wrapped text across the body width (or from <paramref name="x"/> on), breaking pages between lines, as one
    /// structure element <paramref name="tag"/> (none when null: the caller has opened an element or an artifact).
    /// </summary>
    public void Paragraph(string text, TextStyle style, double spaceBefore = 0, double? x = null, double? width = null, PdfBlockLevelElementTag? tag = PdfBlockLevelElementTag.Paragraph)
    {
        var left = x ?? Left;
        var lines = Layout(text, style, width ?? (Geometry.BodyRight - left), spaceBefore);
        if (tag is { } t)
        {
            Tags.Begin(t);
        }

        foreach (var line in lines)
        {
            EnsureSpace(line.Height);
            if (!AtPageStart)
            {
                Y += line.SpaceBefore;
            }

            DrawLine(Gfx, line, left, Y);
            Y += line.Style.LineHeight;
        }

        if (tag is not null)
        {
            Tags.End();
        }
    }

    public void Space(double height) => Y = Math.Min(Y + height, Bottom);

    public void Rule(XColor color, double thickness = 0.5)
    {
        Tags.Artifact(() => Gfx.DrawLine(new XPen(color, thickness), Left, Y, Geometry.BodyRight, Y));
    }

    /// <summary>Draws one line with its baseline placed so the line box is <see cref="TextStyle.LineHeight"/> high.</summary>
    public static void DrawLine(XGraphics gfx, TextLine line, double x, double top, double? width = null, XStringAlignment alignment = XStringAlignment.Near)
    {
        if (string.IsNullOrWhiteSpace(line.Text))
        {
            return;
        }

        var font = line.Style.Font;
        var ascent = font.Size * font.Metrics.Ascent / font.Metrics.UnitsPerEm;
        var descent = font.Size * Math.Abs((double)font.Metrics.Descent) / font.Metrics.UnitsPerEm;
        var baseline = top + ((line.Style.LineHeight - (ascent + descent)) / 2) + ascent;
        var format = new XStringFormat { Alignment = alignment, LineAlignment = XLineAlignment.BaseLine };
        var anchorX = alignment switch
        {
            XStringAlignment.Far => x + (width ?? 0),
            XStringAlignment.Center => x + ((width ?? 0) / 2),
            _ => x,
        };
        gfx.DrawString(line.Text, font, line.Style.Brush, new XPoint(anchorX, baseline), format);
    }

    /// <summary>Draws the last page's footer and closes the page.</summary>
    public void Finish()
    {
        EndPage();
        _gfx?.Dispose();
        _gfx = null;
    }

    public void Dispose() => _gfx?.Dispose();

    private void EndPage()
    {
        if (PageNumber > 0 && Footer is { } footer && _gfx is { } gfx)
        {
            Tags.Artifact(() => footer(gfx, PageNumber));
        }
    }
}

/// <summary>
/// The structure tree of a tagged PDF (PDF/UA) through PDFsharp's <see cref="StructureBuilder"/>: every string drawn
/// must sit inside a block-level element or an artifact, else it is not in the tree (PDFsharp throws for content
/// outside any element and silently leaves out text drawn directly in a grouping element such as Table or TR).
/// <see cref="None"/> does nothing, for the measuring pass.
/// </summary>
internal sealed class PdfTags
{
    private readonly StructureBuilder? _builder;

    private PdfTags(StructureBuilder? builder) => _builder = builder;

    public static PdfTags None { get; } = new(null);

    public static PdfTags For(PdfDocument document)
    {
        var ua = UAManager.ForDocument(document);
        // UAManager sets "en" when it is created.
        ua.SetDocumentLanguage("de");
        return new PdfTags(ua.StructureBuilder);
    }

    public void Begin(PdfBlockLevelElementTag tag) => _builder?.BeginElement(tag);

    public void Begin(PdfGroupingElementTag tag) => _builder?.BeginElement(tag);

    /// <summary>Marks the current element (a TH) as the header of its column.</summary>
    public void ColumnScope() => _builder?.CurrentStructureElement.TableAttributes.Elements.SetName("/Scope", "/Column");

    public void End() => _builder?.End();

    public void Element(PdfBlockLevelElementTag tag, Action draw)
    {
        Begin(tag);
        draw();
        End();
    }

    /// <summary>Draws something that is not content (rules, backgrounds, page furniture, repeated headers).</summary>
    public void Artifact(Action draw)
    {
        _builder?.BeginArtifact();
        draw();
        _builder?.End();
    }
}

internal sealed record TableColumn(string Header, double Width, XStringAlignment Alignment = XStringAlignment.Near);

/// <summary>
/// A table of wrapped text cells. The header repeats on every page the table reaches; a row moves to the next page
/// whole if it fits there, and only a row taller than a whole page is split between lines.
/// Tagged as Table &gt; TR &gt; TH/TD when it has a header; the repeated header, backgrounds and rules are artifacts.
/// Without a header it is only a layout (a box in two columns): each piece of text in a cell becomes a P.
/// A row split across pages gets a second set of TD for its continuation (PDFsharp cannot reopen an element).
/// </summary>
internal sealed class PdfTable(IReadOnlyList<TableColumn> columns, TextStyle? headerStyle)
{
    private Action<PageFlow>? _restore;

    public double PaddingX { get; init; } = 5;

    public double PaddingY { get; init; } = 6;

    public XColor? HeaderBackground { get; init; }

    public XColor? RowBackground { get; init; }

    public XPen? RowRule { get; init; } = new(XColor.FromArgb(0xC8, 0xD0, 0xD9), 0.5);

    public XPen? HeaderRule { get; init; }

    public IReadOnlyList<TableColumn> Columns => columns;

    public double InnerWidth(int column) => columns[column].Width - (2 * PaddingX);

    public List<TextLine> Cell(PageFlow flow, int column, params (string? Text, TextStyle Style, double SpaceBefore)[] parts)
    {
        var lines = new List<TextLine>();
        foreach (var (text, style, spaceBefore) in parts)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                if (lines.Count > 0)
                {
                    // Keeps the pieces of a cell apart in the text a screen reader gets.
                    lines[^1] = lines[^1] with { Text = lines[^1].Text + " " };
                }

                lines.AddRange(flow.Layout(text, style, InnerWidth(column), lines.Count > 0 ? spaceBefore : 0));
            }
        }

        return lines;
    }

    public double HeaderHeight => headerStyle is null ? 0 : headerStyle.LineHeight + (2 * PaddingY);

    private bool IsDataTable => headerStyle is not null;

    /// <summary>Starts the table: draws the header now and on every further page until <see cref="End"/>.</summary>
    public void Begin(PageFlow flow, double firstRowHeight = 0)
    {
        flow.EnsureSpace(HeaderHeight + firstRowHeight);
        var previous = flow.PageStarted;
        flow.PageStarted = f =>
        {
            previous?.Invoke(f);
            f.Tags.Artifact(() => DrawHeader(f, tagged: false));
        };
        _restore = previous;
        if (IsDataTable)
        {
            flow.Tags.Begin(PdfBlockLevelElementTag.Table);
        }

        DrawHeader(flow, tagged: true);
    }

    public void End(PageFlow flow)
    {
        flow.PageStarted = _restore;
        if (IsDataTable)
        {
            flow.Tags.End();
        }
    }

    public double RowHeight(IReadOnlyList<List<TextLine>> cells, double minHeight = 0) =>
        Math.Max(minHeight, cells.Max(c => c.Sum(l => l.Height)) + (2 * PaddingY));

    /// <summary>Draws a row; <paramref name="decorate"/> may draw into the cells afterwards (e.g. a signature line).</summary>
    public void Row(PageFlow flow, IReadOnlyList<List<TextLine>> cells, double minHeight = 0, Action<XGraphics, XRect[]>? decorate = null)
    {
        if (IsDataTable)
        {
            flow.Tags.Begin(PdfBlockLevelElementTag.TableRow);
        }

        DrawRow(flow, cells, minHeight, decorate);
        if (IsDataTable)
        {
            flow.Tags.End();
        }
    }

    private void DrawRow(PageFlow flow, IReadOnlyList<List<TextLine>> cells, double minHeight, Action<XGraphics, XRect[]>? decorate)
    {
        var pending = cells.Select(c => new Queue<TextLine>(c)).ToArray();
        while (true)
        {
            var height = Math.Max(minHeight, pending.Max(q => q.Sum(l => l.Height)) + (2 * PaddingY));
            if (flow.Y + height <= flow.Bottom)
            {
                DrawFragment(flow, pending, height, decorate);
                return;
            }

            if (!flow.AtPageStart)
            {
                flow.NewPage();
                continue;
            }

            // Taller than a whole page: fill this page line by line and carry the rest over.
            var available = flow.Bottom - flow.Y - (2 * PaddingY);
            var part = pending.Select(q => TakeFitting(q, available)).ToArray();
            if (part.All(p => p.Count == 0))
            {
                // Not even one line fits on an empty page (absurd margins): draw one line per cell to make progress.
                part = [.. pending.Select(q => q.Count > 0 ? new Queue<TextLine>([q.Dequeue()]) : new Queue<TextLine>())];
            }

            DrawFragment(flow, part, flow.Bottom - flow.Y, decorate: null);
            flow.NewPage();
        }
    }

    private static Queue<TextLine> TakeFitting(Queue<TextLine> lines, double available)
    {
        var taken = new Queue<TextLine>();
        var used = 0.0;
        while (lines.Count > 0 && used + lines.Peek().Height <= available)
        {
            var line = lines.Dequeue();
            used += line.Height;
            taken.Enqueue(line);
        }

        return taken;
    }

    /// <summary>The header row: TR &gt; TH on the first page (<paramref name="tagged"/>), inside an artifact on later ones.</summary>
    private void DrawHeader(PageFlow flow, bool tagged)
    {
        if (headerStyle is null)
        {
            return;
        }

        var gfx = flow.Gfx;
        var tags = tagged ? flow.Tags : PdfTags.None;
        var height = HeaderHeight;
        var top = flow.Y;
        if (HeaderBackground is { } background)
        {
            tags.Artifact(() => gfx.DrawRectangle(new XSolidBrush(background), flow.Left, top, TotalWidth, height));
        }

        tags.Begin(PdfBlockLevelElementTag.TableRow);
        var x = flow.Left;
        foreach (var column in columns)
        {
            tags.Begin(PdfBlockLevelElementTag.TableHeaderCell);
            tags.ColumnScope();
            PageFlow.DrawLine(gfx, new TextLine(column.Header, headerStyle), x + PaddingX, top + PaddingY, column.Width - (2 * PaddingX), column.Alignment);
            tags.End();
            x += column.Width;
        }

        tags.End();
        if (HeaderRule is { } rule)
        {
            tags.Artifact(() => gfx.DrawLine(rule, flow.Left, top + height, flow.Left + TotalWidth, top + height));
        }

        flow.Y += height;
    }

    private double TotalWidth => columns.Sum(c => c.Width);

    private void DrawFragment(PageFlow flow, Queue<TextLine>[] cells, double height, Action<XGraphics, XRect[]>? decorate)
    {
        var gfx = flow.Gfx;
        var tags = flow.Tags;
        var top = flow.Y;
        if (RowBackground is { } background)
        {
            tags.Artifact(() => gfx.DrawRectangle(new XSolidBrush(background), flow.Left, top, TotalWidth, height));
        }

        var x = flow.Left;
        var rects = new XRect[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            rects[c] = new XRect(x, top, columns[c].Width, height);
            var y = top + PaddingY;
            var first = true;
            var open = false;
            if (IsDataTable)
            {
                tags.Begin(PdfBlockLevelElementTag.TableDataCell);
                open = true;
            }

            foreach (var line in cells[c])
            {
                if (!IsDataTable && (line.StartsPart || !open))
                {
                    if (open)
                    {
                        tags.End();
                    }

                    tags.Begin(PdfBlockLevelElementTag.Paragraph);
                    open = true;
                }

                y += first ? 0 : line.SpaceBefore;
                first = false;
                PageFlow.DrawLine(gfx, line, x + PaddingX, y, columns[c].Width - (2 * PaddingX), columns[c].Alignment);
                y += line.Style.LineHeight;
            }

            if (open)
            {
                tags.End();
            }

            x += columns[c].Width;
            cells[c].Clear();
        }

        if (decorate is not null || RowRule is not null)
        {
            tags.Artifact(() =>
            {
                decorate?.Invoke(gfx, rects);
                if (RowRule is { } rule)
                {
                    gfx.DrawLine(rule, flow.Left, top + height, flow.Left + TotalWidth, top + height);
                }
            });
        }

        flow.Y += height;
    }
}
