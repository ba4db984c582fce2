using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CrampSense.Bridge;

/// <summary>Builds the bridge's Generic Host; <c>Program</c> runs it, a test can run it in-process with its own settings.</summary>
public static class BridgeHost
{
    /// <summary>The environment variable prefix: <c>CRAMPSENSE_InfluxDB__Token</c> is <c>InfluxDB:Token</c>.</summary>
    public const string EnvironmentPrefix = "CRAMPSENSE_";

    /// <summary>
    /// A host builder reading, later wins: appsettings.json (beside the program), appsettings.{Environment}.json,
    /// plain environment variables, <c>CRAMPSENSE_</c> environment variables, the command line (<c>--InfluxDB:Url=…</c>),
    /// then <paramref name="settings"/>; with the bridge registered (<see cref="BridgeServiceCollectionExtensions.AddCrampSenseBridge"/>).
    /// </summary>
    /// <exception cref="Configuration.BridgeConfigurationException">A key is missing or invalid.</exception>
    public static HostApplicationBuilder CreateBuilder(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddCrampSenseBridge(builder.Configuration);
        return builder;
    }
}
