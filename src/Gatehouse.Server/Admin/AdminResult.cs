using Gatehouse.Core;

namespace Gatehouse.Server.Admin;

/// <summary>The outcome of an admin operation: a value, or the error to answer with.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Value">The value on success.</param>
/// <param name="Error">The error on failure.</param>
public readonly record struct AdminResult<T>(T? Value, GatewayError? Error)
{
    /// <summary>A success.</summary>
    public static implicit operator AdminResult<T>(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static implicit operator AdminResult<T>(GatewayError error) => new(default, error);
}
