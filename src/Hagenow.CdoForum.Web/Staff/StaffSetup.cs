using Hagenow.CdoForum.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hagenow.CdoForum.Web.Staff;

public static class StaffSetup
{
    public const string LoginPath = "/intern/anmelden";

    public const int MaxFailedLogins = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        _ = configuration;
        services.AddIdentityCore<IdentityUser>(options =>
            {
                // Length is what makes a password strong; composition rules only make people write them down.
                options.Password.RequiredLength = StaffPasswordValidator.MinimumLength;
                options.Password.RequiredUniqueChars = 5;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = MaxFailedLogins;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
                options.User.RequireUniqueEmail = true;
                // The user name is the e-mail address, checked by StaffCommands; Identity's default alphabet refuses umlauts.
                options.User.AllowedUserNameCharacters = "";
            })
            .AddEntityFrameworkStores<CdoForumDbContext>()
            .AddSignInManager()
            .AddErrorDescriber<GermanIdentityErrors>()
            .AddPasswordValidator<StaffPasswordValidator>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "cdoforum.staff";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = LoginPath;
            options.LogoutPath = "/intern/abmelden";
            options.AccessDeniedPath = LoginPath;
            options.ReturnUrlParameter = "ReturnUrl";
        });
        // A removed account or a changed password ends open sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorization();

        return services;
    }

    /// <summary>Called after UseRouting.</summary>
    public static WebApplication UseStaff(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        // Pages with personal data must not stay in the cache of a shared office PC or a proxy.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/intern", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
            }

            return next(context);
        });
        return app;
    }
}
