namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// What a public page tells search engines and link previews (Teams, Outlook, LinkedIn). A page sets it as
/// <c>ViewData[PublicPage.Key]</c>; the layout turns it into the description, the canonical link and the Open Graph and
/// Twitter tags. A page without it (participant pages, staff area, error pages, drafts) gets none of these tags.
/// </summary>
/// <param name="Title">Preview title; for an event it carries the date, as previews often hide the description.</param>
/// <param name="Description">One or two sentences, also the meta description.</param>
/// <param name="Canonical">Built from <see cref="SiteUrls.Base"/> (Site:PublicUrl), never from the request.</param>
public sealed record PublicPage(string Title, string Description, Uri Canonical)
{
    public const string Key = "PublicPage";

    /// <summary>The card image shipped in wwwroot: 1200 × 630 px, the size Open Graph and LinkedIn ask for.</summary>
    public const string ImagePath = "img/vorschau.png";

    public const int ImageWidth = 1200;

    public const int ImageHeight = 630;

    public const string ImageAlt = "CDO-Forum der Koordinierungs- und Transferstelle Modellprojekte Smart Cities (KTS)";

    public static Uri Image(SiteUrls urls) => new(urls.Base, ImagePath);
}
