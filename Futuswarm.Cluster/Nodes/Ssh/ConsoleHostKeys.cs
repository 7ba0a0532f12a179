using System.Text.RegularExpressions;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Ssh;

/// <summary>Reads the host keys cloud-init prints to the EC2 console at first boot:
/// <code>
/// -----BEGIN SSH HOST KEY KEYS-----
/// ecdsa-sha2-nistp256 AAAA... root@ip-10-0-1-5
/// ssh-ed25519 AAAA... root@ip-10-0-1-5
/// -----END SSH HOST KEY KEYS-----
/// </code>
/// That is how provisioning learns a new instance's key before the first SSH connection. Lines may carry a console
/// prefix ("ec2: ", "[   12.34] "); the last complete block wins (a later boot may have printed new keys).</summary>
public static partial class ConsoleHostKeys
{
    const string Begin = "-----BEGIN SSH HOST KEY KEYS-----";
    const string End = "-----END SSH HOST KEY KEYS-----";

    [GeneratedRegex(@"(?<type>ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) (?<blob>[A-Za-z0-9+/]+={0,2})(\s|$)")]
    private static partial Regex KeyLine();

    /// <summary>Every key of the last complete block as "type base64", or null if there is no complete block yet.</summary>
    public static IReadOnlyList<string>? Parse(string consoleOutput)
    {
        var lines = consoleOutput.Replace("\r", "").Split('\n');
        List<string>? last = null, current = null;
        foreach (var line in lines)
        {
            if (line.Contains(Begin, StringComparison.Ordinal)) { current = []; continue; }
            if (line.Contains(End, StringComparison.Ordinal))
            {
                if (current is not null) last = current;
                current = null;
                continue;
            }
            if (current is null) continue;
            var m = KeyLine().Match(line);
            if (!m.Success) continue;
            var type = m.Groups["type"].Value;
            var blob = m.Groups["blob"].Value;
            byte[] bytes;
            try { bytes = Convert.FromBase64String(blob); } catch (FormatException) { continue; }
            if (SshKeyBlob.TypeOf(bytes) == type) current.Add($"{type} {blob}"); // a torn console line is dropped
        }
        return last;
    }

    /// <summary>The key to pin: ed25519 if printed, else the first. FSW6052 if the console has none yet.</summary>
    public static string Preferred(string consoleOutput, string instance)
    {
        var keys = Parse(consoleOutput);
        if (keys is null || keys.Count == 0)
            throw new FswException(ErrorCodes.ConsoleHostKeysMissing,
                $"{ErrorCodes.ConsoleHostKeysMissing}: the console output of {instance} has no complete SSH HOST KEY KEYS block yet; " +
                "wait for cloud-init to finish and read it again.");
        return keys.FirstOrDefault(k => k.StartsWith("ssh-ed25519 ", StringComparison.Ordinal)) ?? keys[0];
    }
}
