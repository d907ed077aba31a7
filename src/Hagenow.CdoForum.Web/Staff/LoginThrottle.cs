using System.Collections.Concurrent;

namespace Hagenow.CdoForum.Web.Staff;

/// <summary>
/// The limit per submitted address on the password step (the rate limiter in <see cref="StaffSetup"/> is the one per
/// client address). The first <see cref="FreeFailures"/> wrong passwords for an address cost nothing; after that each
/// further attempt must wait a growing delay (30 s, 1, 2, 4, 8 min, then 15 min) since the last failure, and attempts
/// inside the delay are refused unchecked without making it longer. Unknown addresses are treated alike, so the
/// answer never tells whether an account exists. Unlike a hard lockout, the right password works again as soon as the
/// delay has passed. Kept in memory: a restart forgets it, which only gives a guesser five more free tries.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int FreeFailures = 5;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>A day without a failure forgets the address.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(1);

    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Last)> _failures = new(StringComparer.Ordinal);

    public static TimeSpan DelayAfter(int failures) =>
        failures < FreeFailures ? TimeSpan.Zero
        : failures - FreeFailures >= 5 ? MaxDelay
        : TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << (failures - FreeFailures)));

    /// <summary>True while the address must wait before its password is checked again.</summary>
    public bool MustWait(string address)
    {
        var now = clock.GetUtcNow();
        return _failures.TryGetValue(Key(address), out var entry) && now - entry.Last < Memory && now - entry.Last < DelayAfter(entry.Failures);
    }

    public void Failed(string address)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > PruneAbove)
        {
            foreach (var (key, entry) in _failures)
            {
                if (now - entry.Last > Memory || now - entry.Last > DelayAfter(entry.Failures) + TimeSpan.FromHours(1))
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        _failures.AddOrUpdate(Key(address), (1, now), (_, entry) => (now - entry.Last > Memory ? 1 : entry.Failures + 1, now));
    }

    public void Succeeded(string address) => _failures.TryRemove(Key(address), out _);

    private static string Key(string address) => address.Trim().ToUpperInvariant();
}
