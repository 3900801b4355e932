using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Tests;

/// <summary>
/// What the stream relay reads from canonical events — starts, output characters, finishes, usage (merged), errors —
/// so a stream observer can be compared with the full decoder of the same provider.
/// </summary>
internal static class StreamAccounting
{
    public static Accounting Of(IEnumerable<StreamEvent> events)
    {
        var starts = 0;
        var errors = new List<string>();
        long chars = 0;
        var finishes = new List<FinishReason>();
        var usage = default(Usage);
        foreach (var e in events)
        {
            switch (e)
            {
                case MessageStartEvent start: starts++; usage = usage.MergeMax(start.Usage); break;
                case TextDeltaEvent t: chars += t.Text.Length; break;
                case ThinkingDeltaEvent t: chars += t.Text.Length; break;
                case ToolArgumentsDeltaEvent a: chars += a.JsonFragment.Length; break;
                case OutputSizeEvent s: chars += s.Chars; break;
                case FinishEvent f: finishes.Add(f.Reason); break;
                case UsageEvent u: usage = usage.MergeMax(u.Usage); break;
                case ErrorEvent failure: errors.Add($"{failure.Error.Kind} {failure.Error.Code}: {failure.Error.Message}"); break;
            }
        }

        return new Accounting(starts, chars, finishes, usage, errors);
    }

    internal sealed record Accounting(int Starts, long OutputChars, List<FinishReason> Finishes, Usage Usage, List<string> Errors)
    {
        public bool Equals(Accounting? other) =>
            other is not null && (Starts, OutputChars, Usage) == (other.Starts, other.OutputChars, other.Usage)
            && Finishes.SequenceEqual(other.Finishes) && Errors.SequenceEqual(other.Errors);

        public override int GetHashCode() => HashCode.Combine(Starts, OutputChars, Usage);
    }
}
