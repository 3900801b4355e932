using Gatehouse.Governance.Audit;
using Gatehouse.Storage.Audit;

namespace Gatehouse.Server.Admin;

/// <summary>Reading, exporting and verifying the audit chain — for the admin API and the CLI.</summary>
public sealed class AuditAdministration
{
    private readonly IAuditStore _store;

    /// <summary>Creates the operations.</summary>
    public AuditAdministration(IAuditStore store) => _store = store;

    /// <summary>Up to <paramref name="limit"/> records from sequence <paramref name="from"/>.</summary>
    public async Task<List<AuditRecordView>> ReadAsync(long from, int limit, CancellationToken cancellationToken)
    {
        var result = new List<AuditRecordView>();
        await foreach (var record in _store.ReadAsync(from, cancellationToken))
        {
            result.Add(View(record));
            if (result.Count >= limit)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Checks the whole chain against itself and the recorded head.</summary>
    public async Task<AuditVerifyView> VerifyAsync(CancellationToken cancellationToken)
    {
        var (count, head) = await _store.HeadAsync(cancellationToken);
        var records = new List<AuditRecord>();
        await foreach (var record in _store.ReadAsync(1, cancellationToken))
        {
            records.Add(record);
        }

        var result = AuditChain.Verify(records, count, head);
        return new AuditVerifyView
        {
            Intact = result.IsIntact,
            Checked = result.Checked,
            BrokenAt = result.BrokenSequence,
            Problem = result.Problem,
            HeadHash = result.HeadHash is null ? null : Convert.ToHexStringLower(result.HeadHash),
        };
    }

    /// <summary>The view of a stored record.</summary>
    public static AuditRecordView View(AuditRecord record) => new()
    {
        Seq = record.Sequence,
        Time = record.Entry.Time,
        Actor = record.Entry.Actor,
        Action = record.Entry.Action,
        Target = record.Entry.Target,
        Outcome = record.Entry.Outcome,
        Reason = record.Entry.Reason,
        RequestId = record.Entry.RequestId,
        SourceIp = record.Entry.SourceIp,
        Details = record.Entry.Details,
        PrevHash = Convert.ToHexStringLower(record.PreviousHash),
        Hash = Convert.ToHexStringLower(record.Hash),
    };
}
