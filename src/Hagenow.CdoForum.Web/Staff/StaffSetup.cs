using Hagenow.CdoForum.Web.Attendees;
using Hagenow.CdoForum.Web.Privacy;
using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Site;
using Hagenow.CdoForum.Web.Documents;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hagenow.CdoForum.Web.Staff;

public static class StaffSetup
{
    public const string LoginPath = "/intern/anmelden";

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
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
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
        // The partial sign-in between password and code: short, strict, and never "remember this device" (offices share PCs).
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, options =>
        {
            options.Cookie.Name = "cdoforum.2fa";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(10);
        });
        // A removed account, a changed password or a reset second factor ends open sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // The refreshed ticket must keep amr=mfa, or the policy below would log everyone out after a minute.
            o.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(SecondFactor.MfaClaimType) is { } amr
                    && context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(amr.Type, amr.Value))
                {
                    identity.AddClaim(new Claim(amr.Type, amr.Value));
                }

                return Task.CompletedTask;
            };
        });
        // Everything under /intern (AuthorizeFolder in Site) needs the staff cookie AND the second factor; only the login,
        // the code and the enrolment page are open ([AllowAnonymous]).
        services.AddAuthorization(o => o.DefaultPolicy = new AuthorizationPolicyBuilder(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(SecondFactor.MfaClaimType, SecondFactor.MfaClaimValue)
            .Build());
        services.AddScoped<SecondFactor>();

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
