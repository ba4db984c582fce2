namespace CrampSense.Contract;

/// <summary>The JSON Schema (draft 2020-12) of each payload, embedded in the assembly.</summary>
public static class ContractSchemas
{
    /// <summary>The schema text for <paramref name="schemaName"/> (one of <see cref="SchemaNames"/>).</summary>
    /// <exception cref="ArgumentException">No schema has that name.</exception>
    public static string Read(string schemaName)
    {
        ArgumentNullException.ThrowIfNull(schemaName);
        var resource = $"CrampSense.Contract.schemas.{schemaName}.schema.json";
        using var stream = typeof(ContractSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"No embedded JSON schema '{resource}'; known: {string.Join(", ", SchemaNames.All)}.", nameof(schemaName));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
