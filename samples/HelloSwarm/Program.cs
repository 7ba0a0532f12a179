using System.Security.Cryptography;
using System.Text;

var builder = WebApplication.CreateBuilder(args);
// Secrets arrive as files under /run/secrets (SwarmSecret, SwarmSecretSet); the file Hello__Secret is the key Hello:Secret.
builder.Configuration.AddKeyPerFile("/run/secrets", optional: true);
var app = builder.Build();

// The answer shows the greeting from the service's environment (SwarmEnvironmentVariable in the project).
app.MapGet("/", (IConfiguration config) => $"{config["HELLO_GREETING"] ?? "Hello"} (served by {Environment.MachineName})\n");

// Which version of its secret the app reads: a short hash, never the value.
app.MapGet("/secret", (IConfiguration config) => config["Hello:Secret"] is { } secret
    ? $"Hello:Secret sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12]}\n"
    : "Hello:Secret is not set\n");

// The health check the swarm runs through the SDK's probe; new tasks get traffic only once this answers.
app.MapGet("/health", () => Results.Text("healthy\n"));

app.Run();
