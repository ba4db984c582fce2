using Microsoft.Extensions.Hosting;
using CrampSense.Bridge;
using CrampSense.Bridge.Configuration;

try
{
    using var host = BridgeHost.CreateBuilder(args).Build();
    await host.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (BridgeConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}
