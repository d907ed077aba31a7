using Hagenow.CdoForum.Web.Registrations;
using System.Text;
using Hagenow.CdoForum.Web.Mail;
using MimeKit;

namespace Hagenow.CdoForum.Tests.Infrastructure;

/// <summary>Reading mails back in tests.</summary>
public static class Mails
{
    public static MimeMessage Parse(string raw) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)));

    public static MimeMessage Parse(byte[] raw) => MimeMessage.Load(new MemoryStream(raw));

    public static TextPart Calendar(this MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));

    public static Ical.Net.Calendar Invite(this MimeMessage message) => Ical.Net.Calendar.Load(message.Calendar().Text)!;

    /// <summary>Waits until the pickup folder holds <paramref name="count"/> .eml files and returns them parsed, oldest first.</summary>
    public static async Task<List<MimeMessage>> PickedUpAsync(this SiteFactory site, int count)
    {
        List<string> files = [];
        Assert.True(await site.EventuallyAsync(() =>
        {
            files = Directory.Exists(site.MailFolder) ? [.. Directory.GetFiles(site.MailFolder, "*.eml")] : [];
            return Task.FromResult(files.Count >= count);
        }), $"Expected {count} mails in the pickup folder, found {files.Count}.");
        return [.. files.Select(f => MimeMessage.Load(f)).OrderBy(m => m.Date)];
    }
}

public static class MailComposer
{
    /// <summary>The message of a stored outbox row: its body, or composed as the outbox composes it when sending.</summary>
    public static async Task<MimeMessage> MessageOfAsync(this SiteFactory site, OutboxMessage row)
    {
        if (row.Mime is { } mime)
        {
            return Mails.Parse(mime);
        }

        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(site.Services);
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Hagenow.CdoForum.Web.Data.CdoForumDbContext>(scope.ServiceProvider);
        var composer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IOutboxComposer>(scope.ServiceProvider);
        var composed = await composer.ComposeAsync(db, [row], TestContext.Current.CancellationToken);
        return Mails.Parse(composed.TryGetValue(row.Id, out var bytes) ? bytes : throw new InvalidOperationException($"Outbox row {row.Id} could not be composed."));
    }

    /// <summary>Composes a mail with the site's own RegistrationMails as the outbox would when sending it, without storing anything.</summary>
    public static async Task<MimeMessage> ComposeAsync(this SiteFactory site, MailKind kind, Hagenow.CdoForum.Web.Registrations.Registration registration, Hagenow.CdoForum.Web.Events.Event ev, int? waitingPosition = null)
    {
        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(site.Services);
        var mail = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RegistrationMails>(scope.ServiceProvider);
        return Mails.Parse(mail.Compose(mail.Create(kind, registration, ev, waitingPosition), registration, ev));
    }
}
