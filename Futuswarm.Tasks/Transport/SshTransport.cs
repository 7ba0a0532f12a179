using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Tasks.Transport;

/// <summary>
/// One request to the manager through the OpenSSH client: the verb as the command, the JSON document on
/// stdin, JSON lines back. Lines are handed over as they come; the single result or error is returned.
/// </summary>
public sealed class SshTransport(ManagerEndpoint endpoint, string sshPath = "ssh")
{
    public async Task<ResponseLine> SendAsync(string verb, object request, Action<ResponseLine> onLine, CancellationToken ct)
    {
        const int TextFileBusy = 26;
        var psi = new ProcessStartInfo(sshPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in SshArguments.For(endpoint, verb)) psi.ArgumentList.Add(a);

        using var process = new Process { StartInfo = psi };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                process.Start();
                break;
            }
            // ETXTBSY: the program was just written and a process forked meanwhile (by any thread of MSBuild) still
            // holds it open until its own exec; a moment later it is free.
            catch (Win32Exception e) when (e.NativeErrorCode == TextFileBusy && attempt < 5)
            {
                await Task.Delay(20 * attempt, ct);
            }
            catch (Win32Exception e)
            {
                throw new FswException(ErrorCodes.SshNotFound, $"The OpenSSH client '{sshPath}' could not be started ({e.Message}). Install openssh-client.");
            }
        }

        // Ctrl+C stops waiting and kills ssh; the manager finishes the rollout regardless.
        using var kill = ct.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);

        // The request may carry secret values: it goes to ssh's stdin only (never its arguments), and the
        // serialized copy is zeroed once written.
        var body = JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), Wire.Json);
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(body, ct);
            process.StandardInput.Close();
        }
        catch (IOException) { /* ssh exited early; its stderr says why */ }
        finally { CryptographicOperations.ZeroMemory(body); }

        ResponseLine? final = null;
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(CancellationToken.None)) is not null)
        {
            if (line.Length == 0) continue;
            ResponseLine? parsed;
            try { parsed = JsonSerializer.Deserialize<ResponseLine>(line, Wire.LenientJson); }
            catch (JsonException)
            {
                throw new FswException(ErrorCodes.ProtocolMismatch, $"The manager answered something that is not the Futuswarm protocol: '{Shorten(line)}'. Check that SwarmManager points at a Futuswarm API port.");
            }
            if (parsed is null) continue;
            if (parsed.Type is Wire.LineTypes.Result or Wire.LineTypes.Error) final ??= parsed;
            else onLine(parsed);
        }
        await process.WaitForExitAsync(CancellationToken.None);
        var stderr = await stderrTask;
        ct.ThrowIfCancellationRequested();

        if (final is not null) return final;
        if (process.ExitCode == 255) throw SshErrorClassifier.Classify(stderr, endpoint);
        throw new FswException(ErrorCodes.NoResult,
            $"The manager closed the connection without a result (ssh exit code {process.ExitCode}){(stderr.Length > 0 ? ": " + Shorten(stderr.Trim()) : "")}. The rollout may go on; check with -t:SwarmStatus.");
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "...";
}
