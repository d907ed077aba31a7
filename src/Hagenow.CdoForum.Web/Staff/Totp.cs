using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Hagenow.CdoForum.Web.Staff;

/// <summary>
/// RFC 6238 time-based codes (HMAC-SHA1, 30-second steps, 6 digits), as authenticator apps compute them. The key is the
/// Base32 text that Identity keeps in AspNetUserTokens. Written here instead of using Identity's AuthenticatorTokenProvider
/// because that reads the real clock and does not say which step matched, which "a code is accepted once" needs.
/// </summary>
public static class Totp
{
    public const int Digits = 6;
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>One step either side: a phone clock 30 s off, or a code typed just as it changes, still works.</summary>
    public const int Window = 1;

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    public static string Code(string base32Key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 6238 and every authenticator app use; HMAC-SHA1 is not broken.
        HMACSHA1.HashData(FromBase32(base32Key), counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff) % 1_000_000;
        return value.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The step whose code matches within the window, or null.</summary>
    public static long? MatchingStep(string base32Key, string code, DateTimeOffset now)
    {
        if (code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var current = StepAt(now);
        for (var step = current - Window; step <= current + Window; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(base32Key, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                return step;
            }
        }

        return null;
    }

    public static byte[] FromBase32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new byte[clean.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("Not a Base32 key.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[index++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        return bytes;
    }

    /// <summary>"ABCD EFGH …": easier to type from the screen.</summary>
    public static string Grouped(string base32Key) =>
        string.Join(' ', base32Key.Chunk(4).Select(chunk => new string(chunk)));
}

/// <summary>The otpauth:// address as a QR code, drawn here as SVG markup: no image is fetched from anywhere.</summary>
public static class AuthenticatorQrCode
{
    public static string Svg(string otpauthUri)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCoder.QRCodeGenerator.ECCLevel.M);
        return new QRCoder.SvgQRCode(data).GetGraphic(5);
    }
}
