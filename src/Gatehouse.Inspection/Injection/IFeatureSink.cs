namespace Gatehouse.Inspection.Injection;

/// <summary>Receives hashed feature indices in the order the hasher produces them.</summary>
internal interface IFeatureSink
{
    /// <summary>Takes one feature index (already masked to the hash space).</summary>
    void Add(int index);

    /// <summary>
    /// Takes <paramref name="h3"/>[i], <paramref name="h4"/>[i] and <paramref name="h5"/>[i] for each i in turn (the
    /// character 3-, 4- and 5-grams of consecutive positions), as many as <paramref name="h5"/> holds; the same as
    /// calling <see cref="Add"/> for each.
    /// </summary>
    void AddTriples(ReadOnlySpan<int> h3, ReadOnlySpan<int> h4, ReadOnlySpan<int> h5);

    /// <summary>
    /// Takes <paramref name="first"/>[i] and <paramref name="second"/>[i] for each i in turn (a word's unigram and its
    /// bigram with the word before), as many as <paramref name="first"/> holds; the same as calling <see cref="Add"/> for each.
    /// </summary>
    void AddPairs(ReadOnlySpan<int> first, ReadOnlySpan<int> second);
}
