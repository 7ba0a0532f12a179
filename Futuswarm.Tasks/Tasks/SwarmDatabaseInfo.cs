using Futuswarm.Protocol;
using Futuswarm.Tasks.Databases;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>Shows the service's database: name, owner, login roles, which one is in use, size. Never a password (the wire has none).</summary>
public sealed class SwarmDatabaseInfo : ManagerTask
{
    [Output] public string DatabaseName { get; private set; } = "";
    [Output] public string ActiveRole { get; private set; } = "";
    [Output] public string SizeBytes { get; private set; } = "";

    protected override async Task ExecuteAsync()
    {
        // A service without a database is the manager's FSW2019.
        var result = await SendAsync(Wire.Verbs.DatabaseInfo, new ServiceRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName });
        if (result is null) return;
        if (result.Database is not { } db)
        {
            LogFsw(ErrorCodes.ProtocolMismatch,
                $"The manager answered database-info without a database (outcome '{result.Outcome}'). Use a Futuswarm.Sdk version that matches the cluster.");
            return;
        }
        DatabaseName = db.Name;
        ActiveRole = db.ActiveRole;
        SizeBytes = db.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Log.LogMessage(MessageImportance.High, $"{ServiceName}: {db.Kind} database {db.Name}, {DatabaseOption.FormatBytes(db.SizeBytes)}, owned by role {db.Owner}");
        var roles = string.Join(", ", db.LoginRoles.Select(r => r == db.ActiveRole ? r + " (active)" : r));
        Log.LogMessage(MessageImportance.High,
            $"{ServiceName}: login roles {(roles.Length == 0 ? "none" : roles)}; password {(db.PasswordSetAt is { } at ? $"set {at:u}" : "set time unknown")}");
    }
}
