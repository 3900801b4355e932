namespace Gatehouse.Core;

/// <summary>Carries a <see cref="GatewayError"/> out of code that cannot return it as a value (parsers, deep I/O).</summary>
public sealed class GatewayException : Exception
{
    /// <summary>Wraps an error.</summary>
    public GatewayException(GatewayError error)
        : base(error.Message) => Error = error;

    /// <summary>Wraps an error with its cause.</summary>
    public GatewayException(GatewayError error, Exception inner)
        : base(error.Message, inner) => Error = error;

    /// <summary>Required by the exception pattern; prefer the error constructors.</summary>
    public GatewayException()
        : this(new GatewayError(ErrorKind.Internal, "Internal gateway error."))
    {
    }

    /// <summary>Required by the exception pattern; prefer the error constructors.</summary>
    public GatewayException(string message)
        : this(new GatewayError(ErrorKind.Internal, message))
    {
    }

    /// <summary>Required by the exception pattern; prefer the error constructors.</summary>
    public GatewayException(string message, Exception innerException)
        : this(new GatewayError(ErrorKind.Internal, message), innerException)
    {
    }

    /// <summary>The error to report.</summary>
    public GatewayError Error { get; }
}
