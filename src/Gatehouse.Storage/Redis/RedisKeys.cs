namespace Gatehouse.Storage.Redis;

/// <summary>
/// Key names in Redis, versioned (<c>PREFIX:v1:…</c>) so a new layout never reads an old one. A multi-key script
/// only touches keys with one hash tag: every budget key carries <c>{budget}</c>, so reservations across several
/// budgets stay atomic on a Redis Cluster (they share one slot); rate-limit and concurrency keys are single-key
/// scripts tagged by their own counter.
/// </summary>
public sealed class RedisKeys
{
    /// <summary>The layout version in every key.</summary>
    public const string Version = "v1";

    private readonly string _root;

    /// <summary>Creates the key names under a prefix (default <c>gh</c>).</summary>
    public RedisKeys(string prefix)
    {
        if (prefix.Length == 0 || prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("The Redis key prefix must be non-empty and contain no braces.", nameof(prefix));
        }

        _root = string.Concat(prefix, ":", Version, ":");
    }

    /// <summary>The pub/sub channel that announces governance changes.</summary>
    public string Changes => _root + "changes";

    /// <summary>The GCRA cell of a rate-limit counter.</summary>
    public string RateLimit(string counter) => string.Concat(_root, "rl:{", counter, "}");

    /// <summary>The lease set of a concurrency counter.</summary>
    public string Concurrency(string counter) => string.Concat(_root, "conc:{", counter, "}");

    /// <summary>The spend and reservation totals of a budget window account.</summary>
    public string BudgetAccount(string account) => string.Concat(_root, "{budget}:acct:", account);

    /// <summary>The reservation leases of a budget window account.</summary>
    public string BudgetLeases(string account) => string.Concat(_root, "{budget}:lease:", account);

    /// <summary>Set once spend has been seeded from the SQL journal (absent after a flush).</summary>
    public string BudgetSeeded => _root + "{budget}:seeded";
}
