using Microsoft.Extensions.Configuration;

namespace RustDesk.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Where the console keeps its data (configuration keys <c>Database:Provider</c>, <c>ConnectionStrings:Console</c>, <c>Storage:DataDirectory</c>).</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string DataDirectory)
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "Console";
    public const string DataDirectoryKey = "Storage:DataDirectory";

    /// <summary>Reads and checks the settings; a wrong value stops start-up with a message naming the key.</summary>
    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration[ProviderKey];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText, ignoreCase: true, out provider))
        {
            throw new InvalidOperationException(
                $"Configuration key '{ProviderKey}' is '{providerText}'; it must be 'Sqlite' or 'SqlServer'.");
        }
        var dataDirectory = Path.GetFullPath(configuration[DataDirectoryKey] is { Length: > 0 } dir ? dir : "data", contentRoot);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.SqlServer)
            {
                throw new InvalidOperationException(
                    $"Configuration key 'ConnectionStrings:{ConnectionStringName}' is required when '{ProviderKey}' is 'SqlServer'.");
            }
            connectionString = $"Data Source={Path.Combine(dataDirectory, "console.db")}";
        }
        return new DatabaseSettings(provider, connectionString, dataDirectory);
    }
}
