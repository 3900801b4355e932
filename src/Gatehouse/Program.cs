using Gatehouse.Host.Commands;

return await CommandLine.RunAsync(args);
