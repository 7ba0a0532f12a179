using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Futuswarm.Cluster.Config;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// pg_dump -Fc of one database as one of its login roles. The password travels in the child's environment
/// (PGPASSWORD, readable only by the daemon's user), never on its command line; the dump is read from stdout into memory.
/// Failures are FSW5012 with the tail of pg_dump's stderr, which names no password.
/// </summary>
public sealed class PgDumpRunner(DatabaseConfig config)
{
    /// <summary>Sealing is one AES-GCM operation over the whole dump, so a dump must fit in memory.</summary>
    public const long MaxDumpBytes = 1L << 30;
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(1);

    public async Task<byte[]> DumpAsync(DatabaseLogin login, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(config.PgDump)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--format=custom", "--no-password", "--host", config.Host, "--port", config.Port.ToString(),
                     "--username", login.Role, "--dbname", login.Database })
            psi.ArgumentList.Add(a);
        // Nothing of the daemon's own environment may redirect pg_dump (another server, a service file, a password file).
        foreach (var k in psi.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(k);
        psi.Environment["PGPASSWORD"] = login.Password;
        psi.Environment["PGSSLMODE"] = LibpqSslMode(config.SslMode);
        psi.Environment["PGCONNECT_TIMEOUT"] = ((int)PostgresConnector.ConnectTimeout.TotalSeconds).ToString();
        psi.Environment["PGAPPNAME"] = "futuswarm-backup";
        psi.Environment["PGPASSFILE"] = "/dev/null";

        using var process = new Process { StartInfo = psi };
        try { process.Start(); }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new FswException(ErrorCodes.BackupFailed,
                $"pg_dump could not be started ('{config.PgDump}': {e.Message}). Install the PostgreSQL client matching the server (database.pgDump in managerd.json).");
        }
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var stderr = ReadTailAsync(process.StandardError, timeout.Token);
        using var dump = new MemoryStream();
        var tooLarge = false;
        try
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                if (dump.Length + read > MaxDumpBytes) { tooLarge = true; break; }
                dump.Write(buffer, 0, read);
            }
            if (tooLarge) Kill(process);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            ct.ThrowIfCancellationRequested();
            throw new FswException(ErrorCodes.BackupFailed, $"pg_dump of {login.Database} did not finish within {Timeout.TotalMinutes:0} minutes; it was stopped.");
        }
        var errors = await stderr;
        if (tooLarge)
            throw new FswException(ErrorCodes.BackupFailed, $"The dump of {login.Database} is larger than {MaxDumpBytes >> 20} MiB, more than one sealed backup holds.");
        if (process.ExitCode != 0)
            throw new FswException(ErrorCodes.BackupFailed, $"pg_dump of {login.Database} failed (exit code {process.ExitCode}): {errors}");
        return dump.ToArray();
    }

    /// <summary>libpq's sslmode for an Npgsql SSL Mode name.</summary>
    public static string LibpqSslMode(string npgsql) => npgsql.ToLowerInvariant() switch
    {
        "disable" => "disable",
        "allow" => "allow",
        "prefer" => "prefer",
        "require" => "require",
        "verifyca" => "verify-ca",
        "verifyfull" => "verify-full",
        _ => throw new FswException(ErrorCodes.StoreConfigInvalid, $"managerd.json: database.sslMode '{npgsql}' is not known."),
    };

    private static async Task<string> ReadTailAsync(StreamReader reader, CancellationToken ct)
    {
        var lines = new Queue<string>();
        try
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                lines.Enqueue(line);
                if (lines.Count > 8) lines.Dequeue();
            }
        }
        catch (OperationCanceledException) { }
        var text = new StringBuilder().AppendJoin(" / ", lines.Select(l => l.Trim())).ToString();
        return text.Length == 0 ? "no message" : text;
    }

    private static void Kill(Process p)
    {
        try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }
}
