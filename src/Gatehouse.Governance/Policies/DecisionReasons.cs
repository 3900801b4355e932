namespace Gatehouse.Governance.Policies;

/// <summary>The wording of decision reasons: short, naming the statements, fit for a 403 body.</summary>
internal static class DecisionReasons
{
    public static string Permitted(IReadOnlyList<string> ids) =>
        ids.Count == 1 ? $"permitted by policy {ids[0]}" : $"permitted by policies {string.Join(", ", ids)}";

    public static string Forbidden(IReadOnlyList<string> ids, PolicyStatement first, bool firstFailed)
    {
        var head = ids.Count == 1 ? $"denied by policy {ids[0]}" : $"denied by policies {string.Join(", ", ids)}";
        if (firstFailed)
        {
            return $"{head}: the condition of {first.Id} could not be evaluated, so the forbid applies (fail closed)";
        }

        return first.Description is { Length: > 0 } description ? $"{head}: {description}" : head;
    }

    public static string NoPermit(PolicyRequest request) =>
        $"no policy permits {request.Principal} to {request.Action} on {request.Resource}";

    public static string UnknownAction(string action) =>
        $"unknown action '{action}'; known actions: {string.Join(", ", PolicyActions.All)}";

    public const string NotEnforced = "allowed: the policy set enforces no statement (it is empty or runs in shadow mode)";
}
