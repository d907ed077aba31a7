using System.Collections.Concurrent;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Hagenow.CdoForum.Web.Documents;

/// <summary>The four faces the PDFs use, found as TrueType files in one folder.</summary>
public sealed record FontSet(string Family, string Folder, string Regular, string Italic, string SemiBold, string Bold)
{
    /// <summary>Unique per family and folder, so two sites in one process (tests) can use different folders.</summary>
    internal string Key => $"{Family}@{Folder}";
}

/// <summary>
/// Finds a usable font family: the configured folder first, then the fonts shipped in Documents/Fonts, then the
/// usual system folders. Only static TrueType files (glyf outlines) are looked for: PDFsharp 6.2 embeds them as subsets.
/// </summary>
public static class FontLocator
{
    private sealed record Family(string Name, string Regular, string Italic, string[] SemiBold, string Bold);

    // File names as the font projects and Debian ship them; matched case-insensitively.
    private static readonly Family[] Families =
    [
        new("Open Sans", "OpenSans-Regular.ttf", "OpenSans-Italic.ttf", ["OpenSans-Semibold.ttf", "OpenSans-SemiBold.ttf"], "OpenSans-Bold.ttf"),
        new("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Oblique.ttf", [], "DejaVuSans-Bold.ttf"),
        new("Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Italic.ttf", [], "LiberationSans-Bold.ttf"),
        new("Arial", "arial.ttf", "ariali.ttf", [], "arialbd.ttf"),
    ];

    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "Documents", "Fonts");

    public static IReadOnlyList<string> SystemFolders { get; } =
    [
        "/usr/share/fonts/truetype/open-sans",
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/truetype/liberation",
        "/usr/share/fonts/truetype/liberation2",
        "/usr/share/fonts/TTF",
        "/usr/share/fonts/dejavu",
        "/usr/local/share/fonts",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.Windows), "Fonts"),
    ];

    /// <summary>The search order for a configured folder (may be empty).</summary>
    public static IReadOnlyList<string> SearchOrder(string? configuredFolder) =>
        [.. new[] { configuredFolder, ShippedFolder }.OfType<string>().Where(f => f.Length > 0), .. SystemFolders];

    /// <summary>The first folder in <paramref name="folders"/> that holds a complete family, or null.</summary>
    public static FontSet? Find(IEnumerable<string> folders) =>
        folders.Select(FindIn).FirstOrDefault(set => set is not null);

    public static FontSet? FindIn(string folder)
    {
        if (folder.Length == 0 || !Directory.Exists(folder))
        {
            return null;
        }

        var files = Directory.EnumerateFiles(folder)
            .GroupBy(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var family in Families)
        {
            if (files.TryGetValue(family.Regular, out var regular)
                && files.TryGetValue(family.Italic, out var italic)
                && files.TryGetValue(family.Bold, out var bold))
            {
                // Without a semibold face the bold one stands in.
                var semiBold = family.SemiBold.Select(n => files.GetValueOrDefault(n)).FirstOrDefault(p => p is not null) ?? bold;
                return new FontSet(family.Name, Path.GetFullPath(folder), regular, italic, semiBold, bold);
            }
        }

        return null;
    }
}

/// <summary>What the site found at start-up: the family the PDFs use, and whether the configured folder was usable.</summary>
public sealed class PdfFonts
{
    private static readonly Lazy<PdfFonts> DefaultFonts = new(() => Locate(null));

    /// <summary>The shipped fonts, else the system's; for code that runs without the site's configuration.</summary>
    public static PdfFonts Default => DefaultFonts.Value;

    /// <summary>Searches the configured folder, the shipped fonts and the system folders, in that order.</summary>
    public static PdfFonts Locate(string? configuredFolder)
    {
        var configured = string.IsNullOrWhiteSpace(configuredFolder) ? null : configuredFolder;
        var searched = FontLocator.SearchOrder(configured);
        return new PdfFonts(FontLocator.Find(searched), configured, searched);
    }

    public PdfFonts(FontSet? set, string? configuredFolder, IReadOnlyList<string> searched)
    {
        Set = set;
        ConfiguredFolder = configuredFolder;
        Searched = searched;
        if (Set is not null)
        {
            PdfFontResolver.Register(Set);
        }
    }

    public FontSet? Set { get; }

    public string? ConfiguredFolder { get; }

    public IReadOnlyList<string> Searched { get; }

    public bool ConfiguredFolderUsed => ConfiguredFolder is not null && Set is not null
        && string.Equals(Set.Folder, Path.GetFullPath(ConfiguredFolder), StringComparison.Ordinal);

    public string MissingMessage =>
        "Keine Schriften für die PDFs gefunden (gesucht in: " + string.Join(", ", Searched) + "). " +
        "Documents:FontDirectory auf einen Ordner mit OpenSans-*.ttf, DejaVuSans*.ttf oder LiberationSans-*.ttf setzen.";

    internal FontSet RequireSet() => Set ?? throw new InvalidOperationException(MissingMessage);
}

/// <summary>
/// PDFsharp's font resolver is process-wide and may be set only once; it serves every registered <see cref="FontSet"/>.
/// Family names are "{key}" (regular, bold, italic) and "{key}|semibold".
/// </summary>
internal sealed class PdfFontResolver : IFontResolver
{
    private const string SemiBoldSuffix = "|semibold";
    private static readonly Lock InstallLock = new();
    private static readonly ConcurrentDictionary<string, FontSet> Sets = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte[]> Files = new(StringComparer.Ordinal);

    public static void Register(FontSet set)
    {
        Sets.TryAdd(set.Key, set);
        lock (InstallLock)
        {
            if (GlobalFontSettings.FontResolver is not PdfFontResolver)
            {
                GlobalFontSettings.FontResolver = new PdfFontResolver();
            }
        }
    }

    public static XFont Font(FontSet set, double size, FontFace face)
    {
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);
        return face switch
        {
            FontFace.SemiBold => new XFont(set.Key + SemiBoldSuffix, size, XFontStyleEx.Regular, options),
            FontFace.Bold => new XFont(set.Key, size, XFontStyleEx.Bold, options),
            FontFace.Italic => new XFont(set.Key, size, XFontStyleEx.Italic, options),
            _ => new XFont(set.Key, size, XFontStyleEx.Regular, options),
        };
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic)
    {
        var semiBold = familyName.EndsWith(SemiBoldSuffix, StringComparison.Ordinal);
        var key = semiBold ? familyName[..^SemiBoldSuffix.Length] : familyName;
        if (!Sets.TryGetValue(key, out var set))
        {
            return null;
        }

        var path = (semiBold, isBold, isItalic) switch
        {
            (true, _, _) => set.SemiBold,
            (_, true, _) => set.Bold,
            (_, _, true) => set.Italic,
            _ => set.Regular,
        };
        // Bold italic is never used by the PDFs; should it be asked for, the bold face is slanted.
        return new FontResolverInfo(path, mustSimulateBold: false, mustSimulateItalic: isBold && isItalic);
    }

    public byte[]? GetFont(string faceName) => Files.GetOrAdd(faceName, File.ReadAllBytes);
}

public enum FontFace
{
    Regular,
    Italic,
    SemiBold,
    Bold,
}
