namespace Gatehouse.Governance;

/// <summary>
/// The shared counters (Redis) could not be reached and the gateway is configured to fail closed: the request cannot
/// be admitted safely. Maps to 503 <c>governance_unavailable</c>.
/// </summary>
public sealed class CountersUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CountersUnavailableException()
        : base("Shared rate-limit and budget counters are unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CountersUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CountersUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
