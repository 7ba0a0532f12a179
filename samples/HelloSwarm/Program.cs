var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

// The answer shows the greeting from the service's environment (SwarmEnvironmentVariable in the project).
app.MapGet("/", (IConfiguration config) => $"{config["HELLO_GREETING"] ?? "Hello"} (served by {Environment.MachineName})\n");

// The health check the swarm runs through the SDK's probe; new tasks get traffic only once this answers.
app.MapGet("/health", () => Results.Text("healthy\n"));

app.Run();
