using System.Security.Cryptography;
using System.Text;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);
// Secrets arrive as files under /run/secrets (SwarmSecret, SwarmSecretSet, SwarmDatabase); the file
// Hello__Secret is the key Hello:Secret, ConnectionStrings__Default is ConnectionStrings:Default.
builder.Configuration.AddKeyPerFile("/run/secrets", optional: true);
var app = builder.Build();

// The answer shows the greeting from the service's environment (SwarmEnvironmentVariable in the project).
app.MapGet("/", (IConfiguration config) => $"{config["HELLO_GREETING"] ?? "Hello"} (served by {Environment.MachineName})\n");

// Which version of its secret the app reads: a short hash, never the value.
app.MapGet("/secret", (IConfiguration config) => config["Hello:Secret"] is { } secret
    ? $"Hello:Secret sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12]}\n"
    : "Hello:Secret is not set\n");

// With SwarmDatabase: writes a row per request to the service's own database and counts them.
app.MapGet("/visits", async (IConfiguration config) =>
{
    if (config.GetConnectionString("Default") is not { } connectionString) return Results.Text("no database\n");
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS visits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), host text NOT NULL)", db))
    {
        // Two replicas creating the table at once: one wins, the other finds it.
        try { await create.ExecuteNonQueryAsync(); }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable) { }
    }
    await using (var insert = new NpgsqlCommand("INSERT INTO visits (host) VALUES ($1)", db))
    {
        insert.Parameters.Add(new NpgsqlParameter { Value = Environment.MachineName });
        await insert.ExecuteNonQueryAsync();
    }
    await using var count = new NpgsqlCommand("SELECT count(*) FROM visits", db);
    return Results.Text($"visits: {await count.ExecuteScalarAsync()} (database {db.Database} as {db.UserName})\n");
});

// The health check the swarm runs through the SDK's probe; new tasks get traffic only once this answers.
app.MapGet("/health", () => Results.Text("healthy\n"));

app.Run();
