using System.Globalization;
using Futuswarm.Protocol;
using Futuswarm.Tasks.Databases;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>A pg_dump of the service's database, made on the cluster and kept (encrypted) in its state store.</summary>
public sealed class SwarmDatabaseBackup : ManagerTask
{
    /// <summary>The store key of the dump.</summary>
    [Output] public string BackupKey { get; private set; } = "";
    [Output] public string SizeBytes { get; private set; } = "";

    protected override async Task ExecuteAsync()
    {
        var result = await SendAsync(Wire.Verbs.DatabaseBackup, new ServiceRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName });
        if (result is null) return;
        if (result.Outcome != Wire.Outcomes.BackedUp)
        {
            LogUnknownOutcome(result.Outcome);
            return;
        }
        if (result.Backup is not { } backup)
        {
            LogFsw(ErrorCodes.ProtocolMismatch, "The manager answered backed-up without naming the backup. Use a Futuswarm.Sdk version that matches the cluster.");
            return;
        }
        BackupKey = backup.Key;
        SizeBytes = backup.SizeBytes.ToString(CultureInfo.InvariantCulture);
        Log.LogMessage(MessageImportance.High,
            $"{ServiceName}: database backed up at {backup.At:u}: {backup.Key} ({DatabaseOption.FormatBytes(backup.SizeBytes)})");
    }
}
