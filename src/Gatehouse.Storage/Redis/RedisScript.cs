using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// A Lua script run by its SHA-1 (<c>EVALSHA</c>): loaded once, and loaded again when Redis answers <c>NOSCRIPT</c>
/// (after a restart or <c>SCRIPT FLUSH</c>). Each script's first line names it and its layout version.
/// </summary>
public sealed class RedisScript
{
    private readonly string _source;
    private readonly byte[] _sha1;

    /// <summary>Prepares a script.</summary>
    public RedisScript(string source)
    {
        _source = source;
#pragma warning disable CA5350 // SHA-1 is what Redis names scripts by, not a security measure.
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350
    }

    /// <summary>Runs the script atomically on the server.</summary>
    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(_sha1, keys, values);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(_source, keys, values);
        }
    }
}
