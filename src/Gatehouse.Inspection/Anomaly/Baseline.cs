namespace Gatehouse.Inspection.Anomaly;

/// <summary>
/// A streaming baseline of one signal: an exponentially weighted mean and mean absolute deviation, updated once per
/// bucket. The deviation is robust enough for bursty traffic and needs two numbers of state.
/// </summary>
internal struct Baseline
{
    public double Mean;
    public double Deviation;

    /// <summary>Folds in the value of a finished bucket.</summary>
    public void Update(double value, double alpha)
    {
        Deviation = ((1 - alpha) * Deviation) + (alpha * Math.Abs(value - Mean));
        Mean = ((1 - alpha) * Mean) + (alpha * value);
    }

    /// <summary>How many deviations <paramref name="value"/> lies above the mean, with a floor so a flat baseline does not make every blip infinite.</summary>
    public readonly double Score(double value) => (value - Mean) / Math.Max(Deviation, Math.Max(1e-9, 0.25 * Mean + 1e-9));
}
