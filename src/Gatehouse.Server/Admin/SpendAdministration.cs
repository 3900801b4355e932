using Gatehouse.Governance.Audit;
using Gatehouse.Governance.Budgets;
using Gatehouse.Server.Governance;
using Gatehouse.Storage.Governance;

namespace Gatehouse.Server.Admin;

/// <summary>Rate limits and budgets of scopes in the hierarchy.</summary>
public sealed class SpendAdministration
{
    private readonly GovernanceState _state;
    private readonly IAuditAppender _audit;
    private readonly TimeProvider _time;
    private readonly IBudgetCounter _budgets;

    /// <summary>Creates the operations.</summary>
    public SpendAdministration(GovernanceState state, IAuditAppender audit, TimeProvider time, IBudgetCounter budgets)
    {
        _state = state;
        _audit = audit;
        _time = time;
        _budgets = budgets;
    }

    /// <summary>Sets (or, with no limits given, removes) the rate limits of a scope.</summary>
    public async Task<AdminResult<LimitRecord>> SetLimitAsync(AdminCaller caller, LimitRequest request, CancellationToken cancellationToken)
    {
        var (team, error) = AdminValidation.Scope(_state.Current, request.Scope, allowModel: true, allowSession: false);
        error ??= Positive(request.Rpm, "rpm") ?? Positive(request.Tpm, "tpm") ?? Positive(request.MaxConcurrent, "max_concurrent");
        if (error is not null)
        {
            return error;
        }

        if (!caller.CanManageTeam(team))
        {
            return AdminErrors.Forbidden("You may set limits only on scopes of a team you administer.");
        }

        var limit = new LimitRecord { Scope = request.Scope!, RequestsPerMinute = request.Rpm, TokensPerMinute = request.Tpm, MaxConcurrent = request.MaxConcurrent };
        await _state.Store.SetLimitAsync(limit, cancellationToken);
        await _audit.AppendAsync(KeyAdministration.Entry(caller, "admin:limits.write", limit.Scope, _time.GetUtcNow()), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return limit;
    }

    /// <summary>Lists the rate limits the caller may see (a team admin: those of its team's scopes).</summary>
    public IReadOnlyList<LimitRecord> ListLimits(AdminCaller caller) =>
        [.. _state.Current.Limits.Where(limit => caller.CanRead(TeamOf(limit.Scope, allowModel: true)))];

    /// <summary>Creates or replaces a budget.</summary>
    public async Task<AdminResult<BudgetView>> SetBudgetAsync(AdminCaller caller, BudgetRequest request, CancellationToken cancellationToken)
    {
        var (team, error) = AdminValidation.Scope(_state.Current, request.Scope, allowModel: false, allowSession: true);
        if (error is not null)
        {
            return error;
        }

        if (!BudgetWindow.TryParse(request.Period ?? "monthly", out var period))
        {
            return AdminErrors.Invalid("period", $"'period' must be hourly, daily, weekly, monthly or lifetime; got '{request.Period}'.");
        }

        if (request.MaxUsd is null && request.MaxTokens is null)
        {
            return AdminErrors.Invalid("max_usd", "a budget needs 'max_usd', 'max_tokens' or both.");
        }

        if (request.MaxUsd is < 0 || request.MaxTokens is < 0)
        {
            return AdminErrors.Invalid("max_usd", "budget limits cannot be negative.");
        }

        foreach (var threshold in request.SoftThresholds ?? [])
        {
            if (threshold is <= 0 or >= 1)
            {
                return AdminErrors.Invalid("soft_thresholds", "soft thresholds are fractions between 0 and 1, such as 0.5 and 0.8.");
            }
        }

        var id = request.Id ?? string.Concat(request.Scope!.Replace(':', '-'), "-", BudgetWindow.Name(period));
        if (!AdminValidation.IsValidId(id))
        {
            return AdminErrors.Invalid("id", "'id' must be 1-128 characters: lowercase letters, digits, '.', '_', '-', '@'.");
        }

        if (!caller.CanManageTeam(team))
        {
            return AdminErrors.Forbidden("You may set budgets only on scopes of a team you administer.");
        }

        // Setting a budget replaces the one of the same id: it must be one the caller may change too.
        if (_state.Current.Budgets.FirstOrDefault(b => b.Id == id) is { } existing && !caller.CanManageTeam(TeamOf(existing.Scope, allowModel: false)))
        {
            return AdminErrors.Forbidden($"Budget '{id}' belongs to a scope you do not administer; choose another id.");
        }

        var budget = new BudgetLimit
        {
            Id = id,
            Scope = request.Scope!,
            Period = period,
            MaxNanoUsd = request.MaxUsd is { } usd ? BudgetLimit.ToNanoUsd(usd) : null,
            MaxTokens = request.MaxTokens,
            SoftThresholds = request.SoftThresholds ?? [],
        };
        await _state.Store.SetBudgetAsync(budget, cancellationToken);
        await _audit.AppendAsync(KeyAdministration.Entry(caller, "admin:budgets.write", "budget:" + id, _time.GetUtcNow()), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return await ViewAsync(budget, cancellationToken);
    }

    /// <summary>Deletes a budget.</summary>
    public async Task<AdminResult<BudgetView>> DeleteBudgetAsync(AdminCaller caller, string id, CancellationToken cancellationToken)
    {
        BudgetLimit? budget = null;
        foreach (var candidate in _state.Current.Budgets)
        {
            budget = candidate.Id == id ? candidate : budget;
        }

        if (budget is null)
        {
            return AdminErrors.NotFound($"budget '{id}'");
        }

        var (team, _) = AdminValidation.Scope(_state.Current, budget.Scope, allowModel: false, allowSession: true);
        if (!caller.CanWrite || !caller.CanManageTeam(team))
        {
            return AdminErrors.Forbidden("You may delete budgets only of a team you administer.");
        }

        var view = await ViewAsync(budget, cancellationToken);
        await _state.Store.DeleteBudgetAsync(id, cancellationToken);
        await _audit.AppendAsync(KeyAdministration.Entry(caller, "admin:budgets.delete", "budget:" + id, _time.GetUtcNow()), cancellationToken);
        await _state.RefreshAsync(force: true, cancellationToken);
        return view;
    }

    /// <summary>Lists the budgets the caller may see (a team admin: those of its team's scopes) with their spend in the current window.</summary>
    public async Task<IReadOnlyList<BudgetView>> ListBudgetsAsync(AdminCaller caller, CancellationToken cancellationToken)
    {
        var result = new List<BudgetView>();
        foreach (var budget in _state.Current.Budgets)
        {
            if (caller.CanRead(TeamOf(budget.Scope, allowModel: false)))
            {
                result.Add(await ViewAsync(budget, cancellationToken));
            }
        }

        return result;
    }

    private async Task<BudgetView> ViewAsync(BudgetLimit budget, CancellationToken cancellationToken)
    {
        var (nano, tokens) = await _budgets.SpentAsync(budget, cancellationToken);
        return new BudgetView
        {
            Id = budget.Id,
            Scope = budget.Scope,
            Period = BudgetWindow.Name(budget.Period),
            MaxUsd = budget.MaxNanoUsd is { } max ? BudgetLimit.ToUsd(max) : null,
            MaxTokens = budget.MaxTokens,
            SoftThresholds = budget.SoftThresholds,
            SpentUsd = BudgetLimit.ToUsd(nano),
            SpentTokens = tokens,
            ResetsAt = BudgetWindow.NextStart(budget.Period, _time.GetUtcNow()),
        };
    }

    /// <summary>A 400 when <paramref name="value"/> is given and not positive (a limit of 0 or less would mean none).</summary>
    internal static Gatehouse.Core.GatewayError? Positive(long? value, string field) =>
        value is <= 0 ? AdminErrors.Invalid(field, $"'{field}' must be a positive number.") : null;

    // The team a scope belongs to (null for org-wide and unknown scopes, which only admins manage).
    private string? TeamOf(string scope, bool allowModel) => AdminValidation.Scope(_state.Current, scope, allowModel, allowSession: true).TeamId;
}
