using Microsoft.AspNetCore.Identity;

namespace Hagenow.CdoForum.Web.Staff;

/// <summary>Identity's messages in German, for `staff add` (the login page never shows them).</summary>
public sealed class GermanIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), "Ein unbekannter Fehler ist aufgetreten.");

    public override IdentityError ConcurrencyFailure() =>
        Error(nameof(ConcurrencyFailure), "Das Konto wurde gleichzeitig anderweitig geändert. Bitte versuchen Sie es noch einmal.");

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), $"Es gibt bereits ein Konto für {email}.");

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), $"Es gibt bereits ein Konto für {userName}.");

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), $"„{email}“ ist keine gültige E-Mail-Adresse.");

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), $"„{userName}“ ist kein gültiger Benutzername.");

    public override IdentityError PasswordTooShort(int length) =>
        Error(nameof(PasswordTooShort), $"Das Passwort ist zu kurz: Es muss mindestens {length} Zeichen lang sein.");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), $"Das Passwort muss mindestens {uniqueChars} verschiedene Zeichen enthalten.");

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "Das Passwort ist falsch.");

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
