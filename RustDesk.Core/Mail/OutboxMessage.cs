namespace RustDesk.Core.Mail;

public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    /// <summary>Given up after the configured number of attempts.</summary>
    Failed = 2,
}

/// <summary>What a page can tell the user about one message.</summary>
public enum MailDeliveryState
{
    /// <summary>Queued, not tried yet.</summary>
    Pending,
    /// <summary>Handed to the SMTP server (or written to the pickup folder).</summary>
    Sent,
    /// <summary>At least one attempt failed; the outbox keeps retrying.</summary>
    Failing,
    /// <summary>Given up: the message will not be sent.</summary>
    Failed,
}

/// <summary>
/// A message in the durable outbox. A console instance claims a due row with a conditional UPDATE
/// (<see cref="ClaimedBy"/>, <see cref="ClaimedUntil"/>) before sending it, so two instances sharing one database
/// never both send it. Times are UTC.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxToLength = 254;
    public const int MaxSubjectLength = 400;
    public const int MaxCategoryLength = 64;
    public const int MaxClaimedByLength = 128;
    public const int MaxErrorLength = 1000;

    public long Id { get; set; }

    public string To { get; set; } = "";

    public string Subject { get; set; } = "";

    public string TextBody { get; set; } = "";

    public string HtmlBody { get; set; } = "";

    public string Category { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public OutboxStatus Status { get; set; }

    /// <summary>The worker that holds the message while sending it.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>End of the claim; after it (a crashed instance) another worker may take the message.</summary>
    public DateTime? ClaimedUntil { get; set; }

    public DateTime? SentAt { get; set; }

    /// <summary>Why the last attempt failed (exception type and message; never the body).</summary>
    public string? LastError { get; set; }

    public DateTime? LastAttemptAt { get; set; }
}
