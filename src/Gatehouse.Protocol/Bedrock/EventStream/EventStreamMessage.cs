namespace Gatehouse.Protocol.Bedrock.EventStream;

/// <summary>
/// One AWS event-stream message: typed headers and a payload. A message returned by <see cref="EventStreamParser"/>
/// has a payload that points into the parser's buffer and is valid only until the parser's next <c>Append</c>.
/// </summary>
public readonly struct EventStreamMessage
{
    /// <summary>The header naming the kind of message: <c>event</c>, <c>exception</c> or <c>error</c>.</summary>
    public const string MessageTypeHeader = ":message-type";

    /// <summary>The header naming an event (for example <c>contentBlockDelta</c>).</summary>
    public const string EventTypeHeader = ":event-type";

    /// <summary>The header naming a modeled exception (for example <c>throttlingException</c>).</summary>
    public const string ExceptionTypeHeader = ":exception-type";

    /// <summary>The header giving the payload's media type.</summary>
    public const string ContentTypeHeader = ":content-type";

    /// <summary>The header giving the code of an unmodeled error message.</summary>
    public const string ErrorCodeHeader = ":error-code";

    /// <summary>The header giving the text of an unmodeled error message.</summary>
    public const string ErrorMessageHeader = ":error-message";

    private readonly EventStreamHeader[]? _headers;

    /// <summary>Creates a message.</summary>
    public EventStreamMessage(EventStreamHeader[] headers, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = headers;
        Payload = payload;
    }

    /// <summary>The headers, in wire order.</summary>
    public IReadOnlyList<EventStreamHeader> Headers => _headers ?? [];

    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The <c>:message-type</c> header, or null.</summary>
    public string? MessageType => GetString(MessageTypeHeader);

    /// <summary>The <c>:event-type</c> header, or null.</summary>
    public string? EventType => GetString(EventTypeHeader);

    /// <summary>The <c>:exception-type</c> header, or null.</summary>
    public string? ExceptionType => GetString(ExceptionTypeHeader);

    /// <summary>The <c>:content-type</c> header, or null.</summary>
    public string? ContentType => GetString(ContentTypeHeader);

    /// <summary>The <c>:error-code</c> header, or null.</summary>
    public string? ErrorCode => GetString(ErrorCodeHeader);

    /// <summary>The <c>:error-message</c> header, or null.</summary>
    public string? ErrorMessage => GetString(ErrorMessageHeader);

    /// <summary>Finds the first header with the given name.</summary>
    public bool TryGetHeader(string name, out EventStreamHeader header)
    {
        foreach (var candidate in _headers ?? [])
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                header = candidate;
                return true;
            }
        }

        header = default;
        return false;
    }

    /// <summary>The value of the named header when it is a string; null when it is absent or of another type.</summary>
    public string? GetString(string name) =>
        TryGetHeader(name, out var header) && header.Type == EventStreamHeaderType.String ? header.AsString() : null;
}
