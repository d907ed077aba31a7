using Microsoft.AspNetCore.Identity;

namespace Hagenow.CdoForum.Web.Staff;

/// <summary>
/// Refuses passwords that are long enough but still obvious: mostly digits, one well-known word with digits and symbols
/// around it ("Passwort2026!"), a keyboard row, or the account's own e-mail address. Length (checked by Identity) is the
/// main rule; this only catches what a guesser tries first, so passphrases of ordinary words still pass.
/// </summary>
public sealed class StaffPasswordValidator : IPasswordValidator<IdentityUser>
{
    public const int MinimumLength = 12;

    private static readonly HashSet<string> Words =
    [
        "passwort", "password", "kennwort", "geheim", "geheimnis", "letmein", "willkommen", "welcome", "hallo", "hello",
        "admin", "administrator", "sommer", "winter", "fruehling", "frühling", "herbst", "januar", "dezember", "schatz",
        "iloveyou", "ichliebedich", "fussball", "fußball", "bundesliga", "deutschland", "berlin", "test", "changeme",
        "cdoforum", "cdo", "smartcities", "smartcity", "kts", "hagenow", "intern", "qwertz", "qwerty",
    ];

    private static readonly string[] Rows =
        ["qwertzuiopü", "asdfghjklöä", "yxcvbnm", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz"];

    public Task<IdentityResult> ValidateAsync(UserManager<IdentityUser> manager, IdentityUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success); // Identity's own validator reports the length.
        }

        var letters = new string([.. password.ToLowerInvariant().Where(char.IsLetter)]);
        var email = user.Email?.ToLowerInvariant() ?? "";
        var localPart = new string([.. email.Split('@')[0].Where(char.IsLetter)]);
        var obvious = letters.Length < 4
            || Words.Contains(letters)
            || Rows.Any(row => row.Contains(letters, StringComparison.Ordinal))
            || (localPart.Length >= 3 && letters == localPart)
            || (email.Length > 0 && password.Contains(email, StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(obvious
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordObvious",
                Description = "Das Passwort ist zu leicht zu erraten (fast nur Ziffern, ein bekanntes Wort, eine Tastaturfolge "
                    + "oder die E-Mail-Adresse). Nehmen Sie zum Beispiel drei oder vier zufällige Wörter.",
            })
            : IdentityResult.Success);
    }
}
