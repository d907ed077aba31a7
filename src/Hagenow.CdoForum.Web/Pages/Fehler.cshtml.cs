using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hagenow.CdoForum.Web.Pages;

/// <summary>German error pages in the site's layout (re-executed for status codes and unhandled exceptions).</summary>
[IgnoreAntiforgeryToken]
public sealed class FehlerModel : PageModel
{
    public string Heading { get; private set; } = "";

    public string Text { get; private set; } = "";

    public void OnGet() => Describe(RouteCode());

    // Errors on a POST are re-executed as POST. No handler parameters: binding would read the failed request's form
    // again (e.g. one over the form limits) and turn a 400/413 into a broken page.
    public void OnPost() => Describe(RouteCode());

    private int RouteCode() =>
        int.TryParse(RouteData.Values["code"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : 0;

    private void Describe(int code)
    {
        (Heading, Text) = code switch
        {
            404 => ("Seite nicht gefunden", "Die aufgerufene Adresse gibt es hier nicht. Vielleicht ist der Link veraltet oder unvollständig."),
            400 => ("Anfrage nicht verständlich", "Die Anfrage war unvollständig oder fehlerhaft. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."),
            403 => ("Kein Zugriff", "Für diese Seite fehlen Ihnen die Berechtigungen."),
            405 => ("Aktion nicht möglich", "Diese Aktion ist auf dieser Seite nicht möglich."),
            413 => ("Eingabe zu groß", "Die gesendeten Daten sind zu umfangreich. Bitte kürzen Sie Ihre Angaben."),
            429 => ("Zu viele Anfragen", "Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Anmeldungen. Bitte warten Sie eine Minute und versuchen Sie es dann erneut."),
            _ => ("Ein Fehler ist aufgetreten", "Die Seite konnte wegen eines Fehlers auf unserer Seite nicht angezeigt werden. Bitte versuchen Sie es später noch einmal. Ihre bisherigen Angaben wurden nicht verändert."),
        };
        Response.StatusCode = code is >= 400 and < 600 ? code : StatusCodes.Status404NotFound;
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
    }
}
