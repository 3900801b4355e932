namespace Gatehouse.Server.Admin;

/// <summary>The OpenAPI 3.1 document of the admin API, shipped inside the binary.</summary>
public static class AdminOpenApi
{
    /// <summary>The document text.</summary>
    public static string Document { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(AdminOpenApi).Assembly.GetManifestResourceStream("Gatehouse.Server.Admin.openapi.json")
            ?? throw new InvalidOperationException("The admin OpenAPI document is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
