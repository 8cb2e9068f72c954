using RustDesk.Core;
using RustDesk.Core.Data;
using RustDesk.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
var recoveryCommand = RecoveryCommandLine.IsCommand(args);
if (recoveryCommand)
{
    // Keep the command's own output readable.
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
}
builder.AddConsoleDefaults();
// The console's features, each registered by its own Core folder (Core/ConsoleFeatures lists them bottom to top),
// then the web host's own part: Data Protection, pages, cookies and sign-in, localization, rate limits per address.
builder.Services.AddConsoleFeatures(DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath));
builder.Services.AddConsoleWebHost(builder.Configuration, builder.Environment);

var app = builder.Build();
if (recoveryCommand)
{
    await app.InitializeDatabaseAsync();
    return await RecoveryCommandLine.RunAsync(args, app.Services, Console.In, Console.Out, Console.Error);
}
app.UseConsolePipeline();
app.MapConsoleEndpoints();
// Two independent halves of the start-up, side by side: the endpoints and the database (docs/performance.md).
var endpoints = app.PrepareEndpointsAsync();
await app.InitializeDatabaseAsync();
await endpoints;
app.Run();
return 0;

/// <summary>Entry point; public so that tests can host the console with WebApplicationFactory.</summary>
public partial class Program;
