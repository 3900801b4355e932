namespace Gatehouse.Inspection.Text;

/// <summary>A literal of owner <paramref name="Id"/> (a rule's index) occurs at <paramref name="Position"/>.</summary>
/// <param name="Id">The index the literal was registered with.</param>
/// <param name="Position">Offset of the literal in the text.</param>
internal readonly record struct LiteralHit(int Id, int Position)
{
    /// <summary>Orders by id, then position.</summary>
    public static int Compare(LiteralHit a, LiteralHit b) => a.Id != b.Id ? a.Id.CompareTo(b.Id) : a.Position.CompareTo(b.Position);
}
