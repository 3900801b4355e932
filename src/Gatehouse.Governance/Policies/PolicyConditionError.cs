namespace Gatehouse.Governance.Policies;

/// <summary>A condition that could not be evaluated for a request.</summary>
/// <param name="PolicyId">The statement whose condition failed.</param>
/// <param name="Effect">Its effect: a failing permit did not apply, a failing forbid did (fail closed).</param>
/// <param name="Message">What went wrong, from the CEL evaluator.</param>
public sealed record PolicyConditionError(string PolicyId, PolicyEffect Effect, string Message);
