using Hagenow.CdoForum.Web.Documents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hagenow.CdoForum.Web.Pages;

/// <summary>
/// Checks a certificate of attendance by its code. A wrong, malformed, withdrawn or erased code all get the same
/// answer, so the page reveals nothing but "not valid". Codes have 128 random bits, so guessing needs no rate limit.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class BescheinigungModel(Certificates certificates) : PageModel
{
    public CertificateCheck? Check { get; private set; }

    public async Task OnGetAsync(string code, CancellationToken cancellationToken)
    {
        Response.Headers["X-Robots-Tag"] = "noindex";
        Check = await certificates.CheckAsync(code, cancellationToken);
        if (Check is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
