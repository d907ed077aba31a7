using System.Diagnostics;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>
/// Reads the tagging of a PDF back: poppler's <c>pdfinfo</c> for the structure tree and the XMP metadata (Debian
/// poppler-utils; .ci/run installs it), PdfPig for marked content on the pages.
/// </summary>
public static class PdfStructure
{
    /// <summary><c>pdfinfo -struct-text</c>: the structure tree, one element a line, its text in quotes below it.</summary>
    public static Task<string> StructTextAsync(byte[] pdf) => PdfInfoAsync(pdf, "-struct-text");

    /// <summary><c>pdfinfo -meta</c>: the XMP metadata stream.</summary>
    public static Task<string> MetadataAsync(byte[] pdf) => PdfInfoAsync(pdf, "-meta");

    public static Task<string> InfoAsync(byte[] pdf) => PdfInfoAsync(pdf, null);

    /// <summary>The quoted texts of the structure tree, joined and with white space folded: what a screen reader reads.</summary>
    public static string TaggedText(string structText) =>
        Html.Fold(string.Join(" ", structText.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('"')).Select(l => l.Trim('"'))));

    /// <summary>The element names of the tree in order, e.g. "Document", "H1", "Table", "TR", "TH".</summary>
    public static List<string> Elements(string structText) =>
        [.. structText.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('"') && !l.StartsWith('/'))
            .Select(l => l.Split(' ', ':')[0])];

    /// <summary>Visible letters that lie in no marked content at all (neither tagged content nor an artifact); empty means all are marked.</summary>
    public static List<string> LettersOutsideMarkedContent(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var outside = new List<string>();
        foreach (var page in document.GetPages())
        {
            var marked = new HashSet<(string, double, double)>();
            foreach (var element in Flatten(page.GetMarkedContents()))
            {
                marked.UnionWith(element.Letters.Select(Key));
            }

            outside.AddRange(page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value) && !marked.Contains(Key(l)))
                .Select(l => $"page {page.Number}: '{l.Value}' at {l.StartBaseLine}"));
        }

        return outside;
    }

    /// <summary>The text inside artifacts, page by page: page furniture that screen readers skip.</summary>
    public static List<string> ArtifactText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(page => Html.Fold(string.Concat(
            Flatten(page.GetMarkedContents()).Where(e => e.IsArtifact).SelectMany(e => e.Letters).Select(l => l.Value))))];
    }

    private static (string, double, double) Key(Letter l) => (l.Value, Math.Round(l.StartBaseLine.X, 2), Math.Round(l.StartBaseLine.Y, 2));

    private static IEnumerable<MarkedContentElement> Flatten(IEnumerable<MarkedContentElement> elements) =>
        elements.SelectMany(e => new[] { e }.Concat(Flatten(e.Children)));

    private static async Task<string> PdfInfoAsync(byte[] pdf, string? option)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cdoforum-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf, TestContext.Current.CancellationToken);
        try
        {
            var start = new ProcessStartInfo("pdfinfo") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (option is not null)
            {
                start.ArgumentList.Add(option);
            }

            start.ArgumentList.Add(file);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pdfinfo did not start (Debian package poppler-utils).");
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"pdfinfo {option} failed: {await errors}");
            Assert.True((await errors).Length == 0, $"pdfinfo {option} complained: {await errors}");
            return await output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
