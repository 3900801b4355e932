namespace Gatehouse.Server.Routing;

/// <summary>An embedder could not embed (provider unreachable or failing, local model not loadable); semantic routing then uses the default.</summary>
public sealed class EmbedderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbedderException()
    {
    }

    /// <summary>Creates the exception with what went wrong.</summary>
    public EmbedderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with what went wrong and its cause.</summary>
    public EmbedderException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
