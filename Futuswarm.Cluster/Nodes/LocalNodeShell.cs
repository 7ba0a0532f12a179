using System.Diagnostics;

namespace Futuswarm.Cluster.Nodes;

/// <summary>The bootstrap steps on this machine: programs started with an argument list (no shell), files written
/// with their mode set before the content.</summary>
public sealed class LocalNodeShell : INodeShell
{
    public string Name => "local";

    public async Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ShellResult(127, "", $"{argv[0]}: {e.Message}"); // like a shell's "command not found"
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            if (stdin is not null) await p.StandardInput.BaseStream.WriteAsync(stdin, ct);
            p.StandardInput.Close();
            await p.WaitForExitAsync(ct);
            return new ShellResult(p.ExitCode, await stdout, await stderr);
        }
    }

    public async Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default)
    {
        var tmp = $"{path}.fsw-{Guid.NewGuid():N}";
        try
        {
            await using (var f = new FileStream(tmp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
                await f.WriteAsync(content, ct);
            File.SetUnixFileMode(tmp, mode); // the umask may have narrowed it
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public async Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) =>
        File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;

    public void Dispose() { }
}
