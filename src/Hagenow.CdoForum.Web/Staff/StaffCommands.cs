using System.Net.Mail;
using System.Text;
using Hagenow.CdoForum.Web.Audit;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Site;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hagenow.CdoForum.Web.Staff;

/// <summary>`staff add --email E` (password from standard input), `staff list`, `staff remove --email E`.</summary>
public static class StaffCommands
{
    private static readonly string Usage = $"""
        Verwendung:
          staff add --email E-MAIL      legt ein Konto an; das Passwort wird von der Standardeingabe gelesen
                                        (mindestens {StaffPasswordValidator.MinimumLength} Zeichen, z. B. drei oder vier zufällige Wörter)
          staff list                    zeigt alle Konten
          staff remove --email E-MAIL   entfernt ein Konto
          staff reset-2fa --email E-MAIL
                                        entfernt den zweiten Faktor (verlorenes Telefon); bei der nächsten
                                        Anmeldung wird die Authenticator-App neu eingerichtet
        """;

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        var command = args.Length > 0 ? args[0] : null;
        switch (command)
        {
            case "add":
                return await AddAsync(args[1..], services, input, output, error);
            case "list":
                return await ListAsync(services, output);
            case "remove":
                return await RemoveAsync(args[1..], services, output, error);
            case "reset-2fa":
                return await ResetTwoFactorAsync(args[1..], services, output, error);
            default:
                error.WriteLine(command is null ? "Es fehlt der Unterbefehl." : $"Unbekannter Unterbefehl „{command}“.");
                error.WriteLine(Usage);
                return 1;
        }
    }

    private static async Task<int> AddAsync(string[] args, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        if (!TryReadEmail(args, error, out var email))
        {
            return 1;
        }

        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            error.WriteLine($"Es gibt bereits ein Konto für {email}. Es wurde nichts geändert.");
            return 1;
        }

        var password = ReadPassword(input, error);
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("Es wurde kein Passwort auf der Standardeingabe übergeben. Beispiel:");
            error.WriteLine($"  read -rs PW && printf '%s\\n' \"$PW\" | dotnet run --project src/Hagenow.CdoForum.Web -- staff add --email {email}");
            return 1;
        }

        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            error.WriteLine($"Das Konto für {email} wurde nicht angelegt:");
            foreach (var problem in result.Errors)
            {
                error.WriteLine($"  – {problem.Description}");
            }

            return 1;
        }

        await RecordAsync(services, AuditAction.StaffAdded, email);
        output.WriteLine($"Konto für {email} angelegt. Bei der ersten Anmeldung unter /intern/anmelden wird nach dem Passwort "
            + "eine Authenticator-App als zweiter Faktor eingerichtet.");
        return 0;
    }

    private static async Task<int> ListAsync(IServiceProvider services, TextWriter output)
    {
        var db = services.GetRequiredService<CdoForumDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedEmail).Select(u => new { u.Email, u.LockoutEnd }).ToListAsync();
        if (users.Count == 0)
        {
            output.WriteLine("Es gibt noch keine Konten. Anlegen mit: staff add --email E-MAIL");
            return 0;
        }

        var now = clock.GetUtcNow();
        foreach (var user in users)
        {
            output.WriteLine(user.LockoutEnd is { } end && end > now
                ? $"{user.Email} (nach Fehlversuchen gesperrt bis {GermanDates.DateTimeShort(end)})"
                : user.Email);
        }

        return 0;
    }

    private static async Task<int> RemoveAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error)
    {
        if (!TryReadEmail(args, error, out var email))
        {
            return 1;
        }

        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            error.WriteLine($"Es gibt kein Konto für {email}.");
            return 1;
        }

        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            error.WriteLine($"Das Konto für {email} wurde nicht entfernt: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            return 1;
        }

        await RecordAsync(services, AuditAction.StaffRemoved, email);
        output.WriteLine($"Konto für {email} entfernt. Offene Sitzungen enden spätestens nach einer Minute.");
        return 0;
    }

    private static async Task<int> ResetTwoFactorAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error)
    {
        if (!TryReadEmail(args, error, out var email))
        {
            return 1;
        }

        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            error.WriteLine($"Es gibt kein Konto für {email}. Es wurde nichts geändert.");
            return 1;
        }

        await services.GetRequiredService<SecondFactor>().ResetAsync(user, AuditLog.CommandLineActor, CancellationToken.None);
        output.WriteLine($"Zweiter Faktor für {email} zurückgesetzt. Offene Sitzungen enden spätestens nach einer Minute; "
            + "bei der nächsten Anmeldung wird die Authenticator-App neu eingerichtet. Das Konto erhält eine E-Mail.");
        return 0;
    }

    private static bool TryReadEmail(string[] args, TextWriter error, out string email)
    {
        email = "";
        string? value = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--email")
            {
                value = i + 1 < args.Length ? args[++i] : null;
            }
            else if (args[i].StartsWith("--email=", StringComparison.Ordinal))
            {
                value = args[i]["--email=".Length..];
            }
            else
            {
                error.WriteLine($"Unbekannte Angabe „{args[i]}“.");
                error.WriteLine(Usage);
                return false;
            }
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            error.WriteLine("Bitte geben Sie die E-Mail-Adresse des Kontos mit --email an, z. B. staff add --email name@example.de");
            return false;
        }

        value = value.Trim();
        if (!IsEmail(value))
        {
            error.WriteLine($"„{value}“ ist keine gültige E-Mail-Adresse.");
            return false;
        }

        email = value;
        return true;
    }

    private static bool IsEmail(string value) =>
        value.Length <= 254
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !address.Host.EndsWith('.');

    /// <summary>One line from standard input; at an interactive terminal without echo.</summary>
    private static string? ReadPassword(TextReader input, TextWriter error)
    {
        if (!ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
        {
            return input.ReadLine();
        }

        error.Write("Passwort (wird nicht angezeigt): ");
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        error.WriteLine();
        return password.ToString();
    }

    private static async Task RecordAsync(IServiceProvider services, AuditAction action, string staffEmail)
    {
        var db = services.GetRequiredService<CdoForumDbContext>();
        await AuditLog.WriteAsync(db, services.GetRequiredService<TimeProvider>(), AuditLog.CommandLineActor, action, CancellationToken.None, details: staffEmail);
    }
}
