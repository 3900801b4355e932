namespace Gatehouse.Inspection.Injection;

/// <summary>Settings of <see cref="InjectionModelTrainer"/> and <see cref="InjectionEvaluation"/>; the defaults made the shipped model.</summary>
public sealed record InjectionTrainerOptions
{
    /// <summary>Hash space is 2^Bits features.</summary>
    public int Bits { get; init; } = 16;

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>AdaGrad base learning rate.</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>L2 penalty per update on the features present.</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>Seed of every shuffle and fold split.</summary>
    public int Seed { get; init; } = 20261126;

    /// <summary>Folds for threshold selection and for evaluation (stratified by kind).</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Highest false-positive rate on benign examples that threshold selection allows.</summary>
    public double MaxFalsePositiveRate { get; init; } = 0.015;
}
