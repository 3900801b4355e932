using System.Buffers.Binary;

namespace Gatehouse.Inspection.Injection;

/// <summary>
/// The shipped injection model: one linear model and one threshold per <see cref="InjectionMode"/>.
/// File format (little endian): "GHIM", version 1, bits, direct threshold, indirect threshold (float32), then per
/// model its bias (float32) and 2^bits half-precision weights.
/// </summary>
public sealed class InjectionModel
{
    private static readonly byte[] Magic = "GHIM"u8.ToArray();
    private const string ResourceName = "Gatehouse.Inspection.injection-model.bin";

    /// <summary>Creates a model set.</summary>
    public InjectionModel(LinearModel direct, LinearModel indirect, float directThreshold, float indirectThreshold)
    {
        Direct = direct;
        Indirect = indirect;
        DirectThreshold = directThreshold;
        IndirectThreshold = indirectThreshold;
    }

    /// <summary>Scores whole user inputs.</summary>
    public LinearModel Direct { get; }

    /// <summary>Scores segments of documents and tool results.</summary>
    public LinearModel Indirect { get; }

    /// <summary>Score at or above which direct input is an attack.</summary>
    public float DirectThreshold { get; }

    /// <summary>Score at or above which a document segment is an attack.</summary>
    public float IndirectThreshold { get; }

    /// <summary>The model shipped inside this assembly, or null when the build had no model file.</summary>
    public static InjectionModel? Embedded { get; } = LoadEmbedded();

    /// <summary>Serializes the model in the file format above.</summary>
    public byte[] ToBytes()
    {
        var count = Direct.Weights.Length;
        var bytes = new byte[20 + (2 * (4 + (count * 2)))];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Direct.Bits);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(12), DirectThreshold);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(16), IndirectThreshold);
        var offset = 20;
        foreach (var model in new[] { Direct, Indirect })
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), model.Bias);
            offset += 4;
            foreach (var w in model.Weights)
            {
                BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(offset), (Half)w);
                offset += 2;
            }
        }

        return bytes;
    }

    /// <summary>Reads a model written by <see cref="ToBytes"/>.</summary>
    public static InjectionModel FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 20 || !bytes[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]) != 1)
        {
            throw new InvalidDataException("Not a version 1 Gatehouse injection model.");
        }

        var bits = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var count = 1 << bits;
        if (bits is < 8 or > 24 || bytes.Length != 20 + (2 * (4 + (count * 2))))
        {
            throw new InvalidDataException("Truncated or oversized injection model.");
        }

        var offset = 20;
        var models = new LinearModel[2];
        for (var m = 0; m < 2; m++)
        {
            var bias = BinaryPrimitives.ReadSingleLittleEndian(bytes[offset..]);
            offset += 4;
            var weights = new float[count];
            for (var i = 0; i < count; i++, offset += 2)
            {
                weights[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[offset..]);
            }

            models[m] = new LinearModel(weights, bias);
        }

        return new InjectionModel(models[0], models[1], BinaryPrimitives.ReadSingleLittleEndian(bytes[12..]), BinaryPrimitives.ReadSingleLittleEndian(bytes[16..]));
    }

    private static InjectionModel? LoadEmbedded()
    {
        using var stream = typeof(InjectionModel).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return FromBytes(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
