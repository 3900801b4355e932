using Gatehouse.Providers;

namespace Gatehouse.Server.Pipeline;

/// <summary>Chooses the stream reader for a provider's framing.</summary>
public static class UpstreamReaders
{
    /// <summary>Creates the reader over an upstream body.</summary>
    public static IUpstreamMessageReader Create(ProviderAdapter adapter, Stream body) => adapter.Framing switch
    {
        StreamFraming.ServerSentEvents => new SseMessageReader(body),
        StreamFraming.AwsEventStream => new EventStreamMessageReader(body),
        _ => throw new NotSupportedException($"Stream framing {adapter.Framing} is not supported yet."),
    };
}
