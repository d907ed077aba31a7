using System.Globalization;

namespace Hagenow.CdoForum.Web.Site;

/// <summary>Numbers as German readers write them: "1.000".</summary>
public static class GermanNumbers
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static string Count(int value) => value.ToString("N0", German);
}
