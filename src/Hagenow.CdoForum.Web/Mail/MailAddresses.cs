using System.Globalization;

namespace Hagenow.CdoForum.Web.Mail;

/// <summary>Which inbox an address reaches, for limits that count per person and not per spelling.</summary>
public static class MailAddresses
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>
    /// Lower case, the "+tag" of the local part dropped (most providers deliver name+x@ to name@), the domain in its
    /// IDNA ASCII form: <c>Name+1@Bücher.example</c> and <c>name@xn--bcher-kva.example</c> give the same key.
    /// </summary>
    public static string InboxKey(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return address.Trim().ToLowerInvariant();
        }

        var local = address[..at].Trim();
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            local = local[..plus];
        }

        var domain = address[(at + 1)..].Trim();
        try
        {
            domain = Idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            // Validation refuses such domains before a mail is composed; the key stays usable anyway.
        }

        return $"{local}@{domain}".ToLowerInvariant();
    }

    /// <summary>True when the domain is a valid IDNA host name (STD3 rules: letters, digits, hyphens; no literals).</summary>
    public static bool IsValidDomain(string domain)
    {
        try
        {
            var ascii = Idn.GetAscii(domain);
            return ascii.Contains('.', StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
