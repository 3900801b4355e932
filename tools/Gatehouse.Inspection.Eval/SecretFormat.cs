namespace Gatehouse.Inspection.Eval;

/// <summary>
/// How to make a realistic credential for one rule. <see cref="Context"/> is null for tokens with a unique prefix
/// (embedded in generic code and config lines); otherwise the line the credential sits in, with <c>{secret}</c>
/// where the labelled value goes (for rules that need a provider name or a connection-string key next to the value).
/// </summary>
/// <param name="Rule">The rule id in <c>SecretRuleCatalog</c>.</param>
/// <param name="Make">Makes the labelled value.</param>
/// <param name="Context">The surrounding line, or null.</param>
internal sealed record SecretFormat(string Rule, Func<Random, string> Make, string? Context = null);
