namespace Gatehouse.Protocol.Bedrock.EventStream;

/// <summary>One typed header of an event-stream message. Create with the typed factories; read with the matching accessor.</summary>
public readonly struct EventStreamHeader
{
    private readonly long _number;
    private readonly object? _reference;
    private readonly Guid _uuid;

    private EventStreamHeader(string name, EventStreamHeaderType type, long number = 0, object? reference = null, Guid uuid = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        _number = number;
        _reference = reference;
        _uuid = uuid;
    }

    /// <summary>The header name (1 to 255 UTF-8 bytes), for example <c>:event-type</c>.</summary>
    public string Name { get; }

    /// <summary>The value's wire type.</summary>
    public EventStreamHeaderType Type { get; }

    /// <summary>A boolean header.</summary>
    public static EventStreamHeader Bool(string name, bool value) =>
        new(name, value ? EventStreamHeaderType.BoolTrue : EventStreamHeaderType.BoolFalse, value ? 1 : 0);

    /// <summary>A signed 8-bit header.</summary>
    public static EventStreamHeader Byte(string name, sbyte value) => new(name, EventStreamHeaderType.Byte, value);

    /// <summary>A signed 16-bit header.</summary>
    public static EventStreamHeader Short(string name, short value) => new(name, EventStreamHeaderType.Short, value);

    /// <summary>A signed 32-bit header.</summary>
    public static EventStreamHeader Integer(string name, int value) => new(name, EventStreamHeaderType.Integer, value);

    /// <summary>A signed 64-bit header.</summary>
    public static EventStreamHeader Long(string name, long value) => new(name, EventStreamHeaderType.Long, value);

    /// <summary>A byte-array header (at most 65535 bytes). The array is kept, not copied.</summary>
    public static EventStreamHeader ByteArray(string name, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, EventStreamHeaderType.ByteArray, reference: value);
    }

    /// <summary>A string header (at most 65535 UTF-8 bytes).</summary>
    public static EventStreamHeader String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, EventStreamHeaderType.String, reference: value);
    }

    /// <summary>A timestamp header, carried with millisecond precision.</summary>
    public static EventStreamHeader Timestamp(string name, DateTimeOffset value) =>
        new(name, EventStreamHeaderType.Timestamp, value.ToUnixTimeMilliseconds());

    /// <summary>A UUID header.</summary>
    public static EventStreamHeader Uuid(string name, Guid value) => new(name, EventStreamHeaderType.Uuid, uuid: value);

    /// <summary>A timestamp header from raw milliseconds since the Unix epoch (already range-checked by the parser).</summary>
    internal static EventStreamHeader TimestampMilliseconds(string name, long milliseconds) =>
        new(name, EventStreamHeaderType.Timestamp, milliseconds);

    /// <summary>The value of a boolean header.</summary>
    public bool AsBool() => Type switch
    {
        EventStreamHeaderType.BoolTrue => true,
        EventStreamHeaderType.BoolFalse => false,
        _ => throw WrongType("boolean"),
    };

    /// <summary>The value of a byte, short, integer or long header.</summary>
    public long AsInt64() => Type is EventStreamHeaderType.Byte or EventStreamHeaderType.Short or EventStreamHeaderType.Integer or EventStreamHeaderType.Long
        ? _number
        : throw WrongType("integer");

    /// <summary>The value of a byte-array header.</summary>
    public ReadOnlyMemory<byte> AsBytes() => Type == EventStreamHeaderType.ByteArray ? (byte[])_reference! : throw WrongType("byte array");

    /// <summary>The value of a string header.</summary>
    public string AsString() => Type == EventStreamHeaderType.String ? (string)_reference! : throw WrongType("string");

    /// <summary>The value of a timestamp header.</summary>
    public DateTimeOffset AsTimestamp() => Type == EventStreamHeaderType.Timestamp
        ? DateTimeOffset.FromUnixTimeMilliseconds(_number)
        : throw WrongType("timestamp");

    /// <summary>The value of a UUID header.</summary>
    public Guid AsUuid() => Type == EventStreamHeaderType.Uuid ? _uuid : throw WrongType("UUID");

    /// <summary>The value as the writer puts it on the wire: the integer or milliseconds value.</summary>
    internal long RawNumber => _number;

    /// <summary>The string or byte-array value, when the header has one.</summary>
    internal object? RawReference => _reference;

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => $"{Name}={AsBool()}",
        EventStreamHeaderType.ByteArray => $"{Name}=<{((byte[])_reference!).Length} bytes>",
        EventStreamHeaderType.String => $"{Name}={_reference}",
        EventStreamHeaderType.Timestamp => $"{Name}={AsTimestamp():O}",
        EventStreamHeaderType.Uuid => $"{Name}={_uuid}",
        _ => $"{Name}={_number}",
    };

    private InvalidOperationException WrongType(string wanted) =>
        new($"Event-stream header '{Name}' is of type {Type}, not {wanted}.");
}
