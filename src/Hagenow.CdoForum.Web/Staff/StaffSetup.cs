using Hagenow.CdoForum.Web.Data;
using Hagenow.CdoForum.Web.Site;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Hagenow.CdoForum.Web.Staff;

/// <summary>Section <c>RateLimits</c>, the staff login's part.</summary>
public sealed class StaffLoginLimitOptions
{
    /// <summary>
    /// Login POSTs per client address and minute. 10: the KTS team is a handful of people who may share one office NAT
    /// address; all of them logging in at 9:00 with a typo each still fit. The growing delay per submitted address
    /// (<see cref="LoginThrottle"/>) stops guessing one password; this limit stops one address from trying a few
    /// passwords on many accounts, and from keeping both cores busy with password hashing.
    /// </summary>
    public int StaffLoginsPerMinutePerClient { get; set; } = 10;
}

public static class StaffSetup
{
    public const string LoginPath = SitePaths.StaffLogin;

    /// <summary>
    /// Identity's lockout counts wrong second-factor codes only (SecondFactor): whoever reaches it already knows the
    /// password, so a hard stop is right there. Wrong passwords meet <see cref="LoginThrottle"/>'s growing delay instead,
    /// which a stranger cannot turn into locking the team out for good.
    /// </summary>
    public const int MaxFailedLogins = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>A staff session ends after this long without a request (sliding).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(2);

    /// <summary>And after this long since the login, however active: a copied cookie is not good forever.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(10);

    /// <summary>The rate-limiter policy on the login page; it limits POSTs only.</summary>
    public const string LoginPolicy = "staff-login-posts";

    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
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
            options.ExpireTimeSpan = IdleTimeout;
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = ValidateSessionAsync;
            options.LoginPath = LoginPath;
            options.LogoutPath = SitePaths.StaffLogout;
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
        // Logout, a removed account, a changed password or a reset second factor change the security stamp. Requests to
        // /intern compare it on every request (ValidateSessionAsync), so a copied cookie fails at once; this validator
        // renews the ticket's claims once a minute.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // The refreshed ticket must keep amr=mfa and the login time, or the policy would log everyone out, or the
            // absolute lifetime would restart with every request.
            o.OnRefreshingPrincipal = context =>
            {
                if (context.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    foreach (var type in new[] { SecondFactor.MfaClaimType, SecondFactor.SignedInAtClaimType })
                    {
                        if (context.CurrentPrincipal?.FindFirst(type) is { } claim && !identity.HasClaim(claim.Type, claim.Value))
                        {
                            identity.AddClaim(new Claim(claim.Type, claim.Value));
                        }
                    }
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
        services.AddSingleton<LoginThrottle>();

        services.AddOptions<StaffLoginLimitOptions>()
            .Bind(configuration.GetSection("RateLimits"))
            .Validate(o => o.StaffLoginsPerMinutePerClient >= 1, "RateLimits:StaffLoginsPerMinutePerClient muss mindestens 1 sein.")
            .ValidateOnStart();
        services.AddPostLimitPerClient(LoginPolicy, provider => provider.GetRequiredService<IOptions<StaffLoginLimitOptions>>().Value.StaffLoginsPerMinutePerClient);

        return services;
    }

    /// <summary>
    /// The staff cookie is good for <see cref="AbsoluteLifetime"/> after the login, then Identity's security stamp check.
    /// A cookie without the login time (issued before this rule) counts as expired.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var signedInAt = context.Principal?.FindFirst(SecondFactor.SignedInAtClaimType)?.Value;
        if (!long.TryParse(signedInAt, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || now - DateTimeOffset.FromUnixTimeSeconds(seconds) > AbsoluteLifetime)
        {
            await RejectAsync(context);
            return;
        }

        // One small query by primary key; staff are few. Elsewhere the cookie opens nothing, so the check can wait.
        if (context.HttpContext.Request.Path.StartsWithSegments(SitePaths.StaffArea, StringComparison.OrdinalIgnoreCase)
            && context.Principal is { } principal
            && await context.HttpContext.RequestServices.GetRequiredService<SignInManager<IdentityUser>>().ValidateSecurityStampAsync(principal) is null)
        {
            await RejectAsync(context);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    /// <summary>Called after UseRouting.</summary>
    public static WebApplication UseStaff(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        // Pages with personal data must not stay in the cache of a shared office PC or a proxy.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(SitePaths.StaffArea, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
            }

            return next(context);
        });
        return app;
    }
}
