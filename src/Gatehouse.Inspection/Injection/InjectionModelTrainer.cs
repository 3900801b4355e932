using System.Text;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// Trains the two injection models reproducibly (fixed seed, fixed order) and picks their thresholds by stratified
/// k-fold cross-validation on the training data.
/// Direct model: whole texts — jailbreak and injection (attack) against benign, benign-hard and benign-doc.
/// Indirect model: segments — the lines that an attacked document adds to the benign documents (attack; weight
/// 1/n when n lines are new) and injection texts, against every segment of benign documents and benign prompts.
/// </summary>
public static class InjectionModelTrainer
{
    /// <summary>Trains a model set, thresholds included, on <paramref name="data"/>.</summary>
    public static InjectionModel Train(IEnumerable<LabelledText> data, InjectionTrainerOptions? options = null)
    {
        options ??= new InjectionTrainerOptions();
        return TrainPrepared(Prepare(data, options), options);
    }

    internal static List<PreparedExample> Prepare(IEnumerable<LabelledText> data, InjectionTrainerOptions options)
    {
        var prepared = new List<PreparedExample>();
        foreach (var item in data)
        {
            prepared.Add(PreparedExample.Prepare(item, options.Bits, InjectionRuleCatalog.All));
        }

        return prepared;
    }

    internal static InjectionModel TrainPrepared(IReadOnlyList<PreparedExample> set, InjectionTrainerOptions options)
    {
        var folds = StratifiedFolds(set, options.Folds, options.Seed);
        var scores = new double[set.Count];
        for (var fold = 0; fold < options.Folds; fold++)
        {
            var train = new List<PreparedExample>();
            for (var i = 0; i < set.Count; i++)
            {
                if (folds[i] != fold)
                {
                    train.Add(set[i]);
                }
            }

            var (direct, indirect) = FitModels(train, options);
            for (var i = 0; i < set.Count; i++)
            {
                if (folds[i] == fold)
                {
                    scores[i] = set[i].Score(direct, indirect);
                }
            }
        }

        var directScores = new List<(double, int)>();
        var documentScores = new List<(double, int)>();
        for (var i = 0; i < set.Count; i++)
        {
            (set[i].Item.IsDocument ? documentScores : directScores).Add((scores[i], set[i].Item.Label));
        }

        var (finalDirect, finalIndirect) = FitModels(set, options);
        return new InjectionModel(finalDirect, finalIndirect,
            ChooseThreshold(directScores, options.MaxFalsePositiveRate), ChooseThreshold(documentScores, options.MaxFalsePositiveRate));
    }

    internal static (LinearModel Direct, LinearModel Indirect) FitModels(IReadOnlyList<PreparedExample> set, InjectionTrainerOptions options)
    {
        var direct = new List<(HashedFeatures, float, float)>();
        var indirect = new List<(HashedFeatures, float, float)>();
        var benignDocuments = new StringBuilder();
        foreach (var example in set)
        {
            if (example.Item.Kind == InjectionKinds.BenignDocument)
            {
                benignDocuments.Append(example.Item.Text).Append('\0');
            }
        }

        var benignText = benignDocuments.ToString();
        var ambiguous = new List<List<int>>();
        var ambiguousExamples = new List<PreparedExample>();
        foreach (var example in set)
        {
            var item = example.Item;
            if (item.Kind != InjectionKinds.Indirect)
            {
                // A long text counts once, spread over the windows the direct model reads it in.
                foreach (var features in example.DirectFeatures)
                {
                    direct.Add((features, item.Label, 1f / example.DirectFeatures.Length));
                }
            }

            switch (item.Kind)
            {
                case InjectionKinds.BenignDocument:
                    foreach (var features in example.SegmentFeatures)
                    {
                        indirect.Add((features, 0, 1));
                    }

                    break;
                case InjectionKinds.Indirect:
                    var added = AddedUnits(example, benignText);
                    if (added.Count == 1)
                    {
                        indirect.Add((example.SegmentFeatures[added[0]], 1, 1));
                    }
                    else if (added.Count > 1)
                    {
                        ambiguous.Add(added);
                        ambiguousExamples.Add(example);
                    }

                    break;
                case InjectionKinds.Injection or InjectionKinds.Benign or InjectionKinds.BenignHard:
                    indirect.Add((example.Whole, item.Label, 1));
                    break;
            }
        }

        // Where an attacked document differs from every benign one in several units (the attack split a line, or its
        // context is not among the benign documents), a first model trained on the clear cases picks the attack unit.
        var first = LogisticRegression.Fit(Balance(indirect), options, options.Seed + 1);
        for (var a = 0; a < ambiguous.Count; a++)
        {
            var example = ambiguousExamples[a];
            var best = ambiguous[a][0];
            foreach (var u in ambiguous[a])
            {
                if (first.Probability(example.SegmentFeatures[u]) > first.Probability(example.SegmentFeatures[best]))
                {
                    best = u;
                }
            }

            indirect.Add((example.SegmentFeatures[best], 1, 1));
        }

        return (LogisticRegression.Fit(Balance(direct), options, options.Seed), LogisticRegression.Fit(Balance(indirect), options, options.Seed + 1));
    }

    // The units of an attacked document that no benign document contains are what the attack added.
    private static List<int> AddedUnits(PreparedExample example, string benignText)
    {
        var added = new List<int>();
        for (var u = 0; u < example.UnitCount; u++)
        {
            if (!benignText.Contains(example.SegmentTexts[u], StringComparison.Ordinal))
            {
                added.Add(u);
            }
        }

        return added;
    }

    private static List<(HashedFeatures, float, float)> Balance(List<(HashedFeatures Features, float Label, float Weight)> samples)
    {
        double positive = 0, negative = 0;
        foreach (var s in samples)
        {
            if (s.Label > 0)
            {
                positive += s.Weight;
            }
            else
            {
                negative += s.Weight;
            }
        }

        var total = positive + negative;
        var balanced = new List<(HashedFeatures, float, float)>(samples.Count);
        foreach (var s in samples)
        {
            var factor = s.Label > 0 ? total / (2 * positive) : total / (2 * negative);
            balanced.Add((s.Features, s.Label, (float)(s.Weight * factor)));
        }

        return balanced;
    }

    /// <summary>Fold index of each item: each kind shuffled with the seed and dealt round-robin, so every fold has every kind.</summary>
    internal static int[] StratifiedFolds(IReadOnlyList<PreparedExample> set, int folds, int seed)
    {
        var assignment = new int[set.Count];
        var byKind = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < set.Count; i++)
        {
            var kind = set[i].Item.Kind;
            if (!byKind.TryGetValue(kind, out var list))
            {
                byKind[kind] = list = [];
            }

            list.Add(i);
        }

        // The long-prompt kinds, added after the tuning set, draw from a generator of their own, so that adding them
        // leaves the tuning set's folds (and the figures measured on it) as they were.
        var random = new Random(seed);
        var added = new Random(seed + 1);
        foreach (var (kind, list) in byKind)
        {
            var indices = list.ToArray();
            (kind is InjectionKinds.BenignLong or InjectionKinds.AttackLong ? added : random).Shuffle(indices);
            for (var j = 0; j < indices.Length; j++)
            {
                assignment[indices[j]] = j % folds;
            }
        }

        return assignment;
    }

    /// <summary>The threshold with the best F1 among those whose false-positive rate is at most <paramref name="maxFalsePositiveRate"/>.</summary>
    internal static float ChooseThreshold(List<(double Score, int Label)> scored, double maxFalsePositiveRate)
    {
        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        var positives = 0;
        var negatives = 0;
        foreach (var (_, label) in scored)
        {
            _ = label == 1 ? positives++ : negatives++;
        }

        double bestF1 = -1;
        var best = 1f;
        int tp = 0, fp = 0;
        for (var i = 0; i < scored.Count; i++)
        {
            _ = scored[i].Label == 1 ? tp++ : fp++;
            if (i + 1 < scored.Count && scored[i + 1].Score == scored[i].Score)
            {
                continue;
            }

            if (negatives > 0 && (double)fp / negatives > maxFalsePositiveRate)
            {
                break;
            }

            var f1 = 2.0 * tp / (tp + fp + positives);
            if (f1 > bestF1)
            {
                bestF1 = f1;
                best = (float)scored[i].Score;
            }
        }

        return best;
    }
}
