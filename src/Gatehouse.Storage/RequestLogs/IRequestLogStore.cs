namespace Gatehouse.Storage.RequestLogs;

/// <summary>Where request log records are kept.</summary>
public interface IRequestLogStore
{
    /// <summary>Creates tables if needed.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Appends a batch in one transaction.</summary>
    Task WriteBatchAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken);

    /// <summary>Reads records, newest first.</summary>
    Task<IReadOnlyList<RequestLogRecord>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken);
}
