using Hagenow.CdoForum.Web.Events;

namespace Hagenow.CdoForum.Web.Registrations;

/// <summary>A sign-up prepared outside the write turn (event read, token made), waiting for its batch.</summary>
internal sealed class PendingSignUp(Event ev, Registration registration, string token, DateTimeOffset now, CancellationToken cancellation)
{
    private int _attempts;

    public Event Event { get; } = ev;

    public Registration Registration { get; } = registration;

    public string Token { get; } = token;

    public DateTimeOffset Now { get; } = now;

    public CancellationToken Cancellation { get; } = cancellation;

    public TaskCompletionSource<SignUpResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>For the log after the commit: the active registration this sign-up matched, and whether its link was mailed.</summary>
    public int DuplicateOf { get; set; }

    public bool LinkMailQueued { get; set; }

    /// <summary>
    /// Before a second attempt (its batch was rolled back): the key the failed transaction gave the registration is not
    /// its own any more, so it is inserted afresh (with a new mail row, made inside the turn).
    /// </summary>
    public void ResetForAttempt()
    {
        if (_attempts++ == 0)
        {
            return;
        }

        Registration.Id = 0;
        DuplicateOf = 0;
        LinkMailQueued = false;
    }
}
