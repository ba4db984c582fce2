using CrampSense.FirmwareHost.Hosting;

// The wearable service; everything is registered in Hosting/HostRegistration.cs (one Add… per room).
return await CrampSenseHostProgram.RunAsync(args).ConfigureAwait(false);
