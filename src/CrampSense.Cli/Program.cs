using CrampSense.Cli;

return await CrampSenseCommand.RunAsync(args).ConfigureAwait(false);
