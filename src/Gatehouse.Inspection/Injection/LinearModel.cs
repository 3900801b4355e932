namespace Gatehouse.Inspection.Injection;

/// <summary>A logistic-regression model over hashed features; weights are stored at half precision.</summary>
public sealed class LinearModel
{
    private readonly float[] _weights;

    /// <summary>Creates a model from weights (length 2^bits) and a bias.</summary>
    public LinearModel(float[] weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length == 0 || (weights.Length & (weights.Length - 1)) != 0)
        {
            throw new ArgumentException("The number of weights must be a power of two.", nameof(weights));
        }

        _weights = weights;
        Bias = bias;
        Bits = System.Numerics.BitOperations.Log2((uint)weights.Length);
    }

    /// <summary>The hash space is 2^Bits.</summary>
    public int Bits { get; }

    /// <summary>The intercept.</summary>
    public float Bias { get; }

    /// <summary>The weights, indexed by feature.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>The weights array itself, for the allocation-free scorer (never written).</summary>
    internal float[] WeightArray => _weights;

    /// <summary>The probability that the features come from an attack.</summary>
    public double Probability(HashedFeatures features)
    {
        double z = Bias;
        foreach (var index in features.Indices)
        {
            z += _weights[index] * features.Value;
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Rounds every weight to half precision, as stored in the model file, so training and shipping score alike.</summary>
    public static LinearModel Quantized(float[] weights, float bias)
    {
        var rounded = new float[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            rounded[i] = (float)(Half)weights[i];
        }

        return new LinearModel(rounded, (float)(Half)bias);
    }
}
