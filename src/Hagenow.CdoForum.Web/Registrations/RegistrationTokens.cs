using System.Security.Cryptography;
using System.Text;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.WebUtilities;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>
/// The secret link of a participant: <c>/anmeldung/{token}</c>. The token is HMAC-SHA256(site secret, AccessKey):
/// 256 bits, unguessable, never stored. The database holds only the random AccessKey and SHA-256(token) for lookup,
/// so a copy of the database alone opens no registration, while every later mail (reminder, "your link again")
/// can still carry the same link.
/// </summary>
public sealed class RegistrationTokens
{
    private readonly byte[] _secret;

    public RegistrationTokens(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Registrations:TokenSecret"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _secret = Encoding.UTF8.GetBytes(configured);
            return;
        }

        var keys = Path.GetFullPath(configuration["DataProtection:KeysDirectory"] ?? "data/keys", environment.ContentRootPath);
        var file = Path.Combine(keys, "registration-token.key");
        PrivateFiles.EnsureFolder(keys);
        if (!File.Exists(file))
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = PrivateFiles.FileMode;
                }

                using var stream = new FileStream(file, options);
                stream.Write(RandomNumberGenerator.GetBytes(32));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process created it first; use theirs.
            }
        }

        // A file from an older version was created 0644: the secret behind every participant link is the site's alone.
        PrivateFiles.RestrictFile(file);
        _secret = File.ReadAllBytes(file);
    }

    public static string NewAccessKey() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    public string TokenFor(Registration registration) => TokenFor(registration.AccessKey);

    public string TokenFor(string accessKey) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(accessKey)));

    public static string Hash(string token) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>Gives a new registration its key and token hash; returns the token for the redirect and the mail.</summary>
    public string Assign(Registration registration)
    {
        registration.AccessKey = NewAccessKey();
        var token = TokenFor(registration.AccessKey);
        registration.TokenHash = Hash(token);
        return token;
    }
}
