using RustDesk.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddConsoleDefaults();
builder.Services.AddConsoleServices(builder.Configuration, builder.Environment);

var app = builder.Build();
await app.InitializeDatabaseAsync();
app.UseConsolePipeline();
app.MapConsoleEndpoints();
app.Run();

/// <summary>Entry point; public so that tests can host the console with WebApplicationFactory.</summary>
public partial class Program;
