using Hagenow.CdoForum.Web.Site;
using Hagenow.CdoForum.Web.Data;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Hagenow.CdoForum.Web.Mail;

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection("Mail"))
            .Validate(o => MailboxAddress.TryParse(o.From, out _), "Mail:From ist keine gültige Absenderadresse (z. B. \"KTS <smartekommunen@iqib.de>\").")
            .Validate(o => o.Smtp.Port is > 0 and < 65536 && o.Smtp.TimeoutSeconds > 0, "Mail:Smtp:Port oder Mail:Smtp:TimeoutSeconds ist ungültig.")
            .Validate(o => o.OutboxLeaseSeconds > 0, "Mail:OutboxLeaseSeconds muss eine positive Zahl von Sekunden sein.")
            .ValidateOnStart();

        services.AddScoped<ParticipantMail>();
        services.AddScoped<AccountMail>();
        services.AddScoped<OutboxAdmin>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxWakeUp>();
        services.ConfigureDbContext<CdoForumDbContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<OutboxWakeUp>()));

        var smtpHost = configuration["Mail:Smtp:Host"];
        if (string.IsNullOrWhiteSpace(smtpHost))
        {
            var folder = Path.GetFullPath(configuration["Mail:PickupDirectory"] ?? "data/mail", environment.ContentRootPath);
            var transport = new PickupDirectoryTransport(PrivateFiles.EnsureFolder(folder));
            services.AddSingleton<IMailTransport>(transport);
            services.AddSingleton(transport);
        }
        else
        {
            services.AddSingleton<IMailTransport, SmtpTransport>();
        }

        services.AddSingleton<MailOutbox>();
        if (BackgroundJobs.Enabled(configuration))
        {
            services.AddHostedService(provider => provider.GetRequiredService<MailOutbox>());
        }

        return services;
    }
}
