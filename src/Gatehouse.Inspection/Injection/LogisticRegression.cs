namespace Gatehouse.Inspection.Injection;

/// <summary>Deterministic logistic regression by AdaGrad over sparse binary features, with sample weights.</summary>
internal static class LogisticRegression
{
    public static LinearModel Fit(List<(HashedFeatures Features, float Label, float Weight)> samples, InjectionTrainerOptions options, int seed)
    {
        var size = 1 << options.Bits;
        var weights = new float[size];
        var squares = new float[size];
        float bias = 0;
        float biasSquares = 0;
        var order = new int[samples.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new Random(seed);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var (features, label, weight) = samples[index];
                double z = bias;
                foreach (var f in features.Indices)
                {
                    z += weights[f] * features.Value;
                }

                var p = 1 / (1 + Math.Exp(-z));
                var g = (float)((p - label) * weight);
                foreach (var f in features.Indices)
                {
                    var gradient = (g * features.Value) + ((float)options.L2 * weights[f]);
                    squares[f] += gradient * gradient;
                    weights[f] -= (float)(options.LearningRate * gradient / Math.Sqrt(squares[f] + 1e-8));
                }

                biasSquares += g * g;
                bias -= (float)(options.LearningRate * g / Math.Sqrt(biasSquares + 1e-8));
            }
        }

        return LinearModel.Quantized(weights, bias);
    }
}
