using System.Data.Common;
using Gatehouse.Core;

namespace Gatehouse.Storage.Sql;

/// <summary>Small ADO.NET steps shared by the SQL stores.</summary>
internal static class SqlCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object Value)[]? parameters = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (parameters is not null)
        {
            Bind(command, parameters);
        }

        return command;
    }

    public static void Bind(DbCommand command, (string Name, object Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = StoredText.OfValue(value);
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>
    /// Binds the values of the next row of a batch to a command that runs once per row: the parameters are created
    /// for the first row and only their values change after that (no per-row parameter objects or name lookups).
    /// Every row of a batch must name the same parameters in the same order.
    /// </summary>
    public static void Rebind(DbCommand command, (string Name, object Value)[] parameters)
    {
        if (command.Parameters.Count != parameters.Length)
        {
            Bind(command, parameters);
            return;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = StoredText.OfValue(parameters[i].Value);
        }
    }

    public static async Task<List<T>> QueryAsync<T>(SqlDatabase database, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = Create(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(read(reader));
        }

        return result;
    }
}
