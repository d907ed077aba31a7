using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;

namespace Hagenow.CdoForum.Web.Site;

/// <summary>
/// Which Host headers the site answers (the rest get 400) and which reverse proxies it believes about the client's
/// address. X-Forwarded-Host is never trusted: absolute links come from <see cref="SiteUrls"/> alone.
/// </summary>
public static class HostsAndProxies
{
    public const string AllowedHostsKey = "AllowedHosts";
    public const string KnownProxiesKey = "ForwardedHeaders:KnownProxies";
    public const string KnownNetworksKey = "ForwardedHeaders:KnownNetworks";

    /// <summary>Host names of this machine: the browser tests, a developer and a local health probe use them, on any port.</summary>
    public static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// <c>AllowedHosts</c> (semicolon-separated) when set; otherwise the host of <c>Site:PublicUrl</c> and the loopback names.
    /// Ports do not count (the framework compares host names only).
    /// </summary>
    public static string[] AllowedHosts(IConfiguration configuration, Uri publicBase, bool hasPublicUrl)
    {
        var configured = configuration[AllowedHostsKey]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (configured.Length > 0)
        {
            return configured;
        }

        return hasPublicUrl ? [publicBase.Host, .. LoopbackHosts] : LoopbackHosts;
    }

    /// <summary>Entries of <c>ForwardedHeaders:KnownProxies</c> / <c>KnownNetworks</c> that are not addresses or ranges, one German line each.</summary>
    public static List<string> ConfigurationErrors(IConfiguration configuration)
    {
        var errors = new List<string>();
        errors.AddRange(Entries(configuration, KnownProxiesKey).Where(e => !IPAddress.TryParse(e, out _))
            .Select(e => $"{KnownProxiesKey}: „{e}“ ist keine IP-Adresse."));
        errors.AddRange(Entries(configuration, KnownNetworksKey).Where(e => !System.Net.IPNetwork.TryParse(e, out _))
            .Select(e => $"{KnownNetworksKey}: „{e}“ ist kein Adressbereich wie 10.0.0.0/8."));
        return errors;
    }

    /// <summary>True when a known proxy or network is configured: then X-Forwarded-For and -Proto are read from those only.</summary>
    public static bool ProxiesConfigured(IConfiguration configuration) =>
        Entries(configuration, KnownProxiesKey).Length > 0 || Entries(configuration, KnownNetworksKey).Length > 0;

    public static IServiceCollection AddHostsAndProxies(this IServiceCollection services, IConfiguration configuration, SiteUrls urls)
    {
        var hasPublicUrl = !string.IsNullOrWhiteSpace(configuration[SiteUrls.PublicUrlKey]);
        // Runs before the framework's fallback (a PostConfigure that turns an empty list into "*").
        services.Configure<HostFilteringOptions>(o => o.AllowedHosts = AllowedHosts(configuration, urls.Base, hasPublicUrl));

        if (ProxiesConfigured(configuration))
        {
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in Entries(configuration, KnownProxiesKey))
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in Entries(configuration, KnownNetworksKey))
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }

                // Every hop is checked against the lists, so a chain of known proxies may be walked back to the client;
                // an address the client wrote into the header itself stops at the first unknown hop.
                o.ForwardLimit = null;
            });
        }

        return services;
    }

    /// <summary>First in the pipeline, so the rate limiter and the logs see the client's address, not the proxy's.</summary>
    public static WebApplication UseForwardedHeadersWhenConfigured(this WebApplication app)
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true makes the framework add the middleware itself.
        if (ProxiesConfigured(app.Configuration) && !app.Configuration.GetValue<bool>("ForwardedHeaders_Enabled"))
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    private static string[] Entries(IConfiguration configuration, string key) =>
        configuration[key]?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
