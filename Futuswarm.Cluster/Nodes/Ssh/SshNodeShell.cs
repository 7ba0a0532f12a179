using System.Text;
using Futuswarm.Protocol;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Futuswarm.Cluster.Nodes.Ssh;

/// <summary>Bootstrap commands over SSH (SSH.NET): the host key is checked against the expected one before
/// authentication, so on an unknown (FSW1001) or changed (FSW1002) key nothing runs. Commands are argv lists quoted
/// by <see cref="PosixQuote"/>; files go over SFTP.</summary>
public sealed class SshNodeShell : INodeShell
{
    readonly SshClient _ssh;
    readonly SftpClient _sftp;
    public string Name { get; }
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(15);

    private SshNodeShell(SshClient ssh, SftpClient sftp, string name) => (_ssh, _sftp, Name) = (ssh, sftp, name);

    public static async Task<SshNodeShell> ConnectAsync(string host, int port, string user, string privateKeyFile,
        string? expectedHostKey, CancellationToken ct = default)
    {
        var name = $"{user}@{host}:{port}";
        var expected = expectedHostKey is null ? null : ExpectedHostKey.Parse(expectedHostKey);
        var key = new PrivateKeyFile(privateKeyFile);
        ConnectionInfo Info()
        {
            var info = new ConnectionInfo(host, port, user, new PrivateKeyAuthenticationMethod(user, key)) { Timeout = TimeSpan.FromSeconds(15) };
            // Ask only for the expected key's type, so a server with several keys presents the one we know.
            if (expected?.KeyType is { } type)
                foreach (var alg in info.HostKeyAlgorithms.Keys.ToList())
                    if (!AlgorithmFits(alg, type)) info.HostKeyAlgorithms.Remove(alg);
            return info;
        }
        var ssh = new SshClient(Info());
        var sftp = new SftpClient(Info());
        try
        {
            await ConnectCheckedAsync(ssh, expected, name, ct);
            await ConnectCheckedAsync(sftp, expected, name, ct);
            return new SshNodeShell(ssh, sftp, name);
        }
        catch
        {
            ssh.Dispose();
            sftp.Dispose();
            throw;
        }
    }

    static bool AlgorithmFits(string alg, string keyType) =>
        alg == keyType || (keyType == "ssh-rsa" && alg is "rsa-sha2-256" or "rsa-sha2-512");

    static async Task ConnectCheckedAsync(BaseClient client, ExpectedHostKey? expected, string name, CancellationToken ct)
    {
        FswException? refused = null;
        client.HostKeyReceived += (_, e) =>
        {
            var presented = $"{e.HostKeyName} SHA256:{e.FingerPrintSHA256}";
            if (expected is null)
                refused = new FswException(ErrorCodes.HostKeyUnknown,
                    $"{ErrorCodes.HostKeyUnknown}: no host key is known for {name} (it presented {presented}); nothing was run. " +
                    "Read the node's key from its console output (cloud-init) or the provisioning state, never from the connection itself.");
            else if (!expected.Matches(e.FingerPrintSHA256))
                refused = new FswException(ErrorCodes.HostKeyChanged,
                    $"{ErrorCodes.HostKeyChanged}: {name} presented host key {presented}, expected {expected}; nothing was run. " +
                    "Treat it as a possible attack; if the node was really replaced, learn its new key from its console output.");
            e.CanTrust = refused is null;
        };
        try
        {
            await client.ConnectAsync(ct);
        }
        catch (Exception) when (refused is not null)
        {
            throw refused;
        }
        catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new FswException(ErrorCodes.TransportFailed, $"{ErrorCodes.TransportFailed}: SSH to {name} failed: {e.Message}");
        }
    }

    public async Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
    {
        using var cmd = _ssh.CreateCommand(PosixQuote.CommandLine(argv), Encoding.UTF8);
        cmd.CommandTimeout = CommandTimeout; // a hung engine or apt must not hang provisioning forever
        var run = cmd.ExecuteAsync(ct);
        // Always close stdin, so a program that reads it sees end of input instead of waiting.
        using (var input = cmd.CreateInputStream())
            if (stdin is not null) await input.WriteAsync(stdin, ct);
        await run;
        return new ShellResult(cmd.ExitStatus ?? 255, cmd.Result, cmd.Error);
    }

    public async Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default)
    {
        // Created empty, given its mode, then filled and renamed over the target: the content never sits in a
        // file readable by others, and a reader never sees half a file.
        var tmp = $"{path}.fsw-{Guid.NewGuid():N}";
        await Task.Run(() =>
        {
            using (_sftp.Create(tmp)) { }
            try
            {
                _sftp.ChangePermissions(tmp, SftpMode(mode));
                _sftp.WriteAllBytes(tmp, content);
                _sftp.RenameFile(tmp, path, isPosix: true);
            }
            catch
            {
                try { _sftp.DeleteFile(tmp); } catch (SshException) { }
                throw;
            }
        }, ct);
    }

    /// <summary>SSH.NET takes the mode as the octal digits read as a decimal number (0644 as 644).</summary>
    internal static short SftpMode(UnixFileMode mode) => short.Parse(Convert.ToString((int)mode & 0x1FF, 8));

    public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) =>
        Task.Run(() => _sftp.Exists(path) ? _sftp.ReadAllBytes(path) : null, ct);

    public void Dispose()
    {
        _sftp.Dispose();
        _ssh.Dispose();
    }
}
