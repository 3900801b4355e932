namespace Gatehouse.Storage.RequestLogs;

/// <summary>A filter over the request log.</summary>
public sealed record RequestLogQuery
{
    /// <summary>Only records at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only records before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only records whose requested or served model equals this.</summary>
    public string? Model { get; init; }

    /// <summary>Only records with this status.</summary>
    public int? Status { get; init; }

    /// <summary>Only records with a status of 400 or more.</summary>
    public bool ErrorsOnly { get; init; }

    /// <summary>At most this many records, newest first.</summary>
    public int Limit { get; init; } = 100;
}
