using System.Text;
using System.Text.RegularExpressions;

namespace Futuswarm.Protocol;

/// <summary>Input rules shared by the tasks (early, friendly) and the manager (authoritative).</summary>
public static partial class Validation
{
    public const int MaxServiceNameLength = 40;
    public const int MinDeployTimeoutSeconds = 10;
    public const int MaxDeployTimeoutSeconds = 3600;
    public const int MaxReplicas = 50;
    public const string ReservedPrefix = "futuswarm";

    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?\\z")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.]*\\z")]
    private static partial Regex EnvName();

    [GeneratedRegex("^[A-Za-z0-9._-]+\\z")]
    private static partial Regex SecretFileName();

    /// <summary>Swarm's own limit on a secret's data (swarmkit MaxSecretSize).</summary>
    public const int MaxSecretBytes = 500 * 1024;
    public const int MaxSecretNameLength = 128;

    /// <summary>
    /// Secret names are file names under /run/secrets: letters, digits, '.', '_', '-'; "__" nests configuration
    /// keys for .NET's key-per-file provider. Null when valid, else the reason.
    /// </summary>
    public static string? CheckSecretName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        if (name.Length > MaxSecretNameLength) return $"'{name}' is longer than {MaxSecretNameLength} characters";
        if (!SecretFileName().IsMatch(name)) return $"'{name}' may contain only letters, digits, '.', '_' and '-' (it becomes a file name under /run/secrets)";
        if (name.All(c => c == '.')) return $"'{name}' is not a file name";
        if (name.StartsWith('.')) return $"'{name}' starts with '.', which hides the file from configuration providers";
        return null;
    }

    /// <summary>Never names the value itself: the reason is about its size only.</summary>
    public static string? CheckSecretValue(string name, int length)
    {
        if (length == 0) return $"the value of '{name}' is empty; remove the secret instead (SwarmSecretRemove) if it is no longer needed";
        if (length > MaxSecretBytes) return $"the value of '{name}' is {length} bytes; Swarm keeps secrets of at most {MaxSecretBytes} bytes ({MaxSecretBytes / 1024} KB)";
        return null;
    }

    /// <summary>Null when valid, else the reason. Names become DNS labels under the base domain and swarm names.</summary>
    public static string? CheckServiceName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        if (name.Length > MaxServiceNameLength) return $"it is longer than {MaxServiceNameLength} characters";
        if (!DnsLabel().IsMatch(name)) return "it must be a DNS label: lower-case letters, digits and '-', starting with a letter, not ending with '-'";
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal)) return $"names starting with '{ReservedPrefix}' are reserved for the cluster's own services";
        return null;
    }

    /// <summary>The default service name for a project: words of PascalCase split by '-', lower-case, other characters to '-', made a valid label.</summary>
    public static string ToServiceName(string projectName)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < projectName.Length; i++)
        {
            var c = projectName[i];
            if (char.IsAsciiLetterUpper(c) && i > 0 && (char.IsAsciiLetterLower(projectName[i - 1]) || char.IsAsciiDigit(projectName[i - 1])))
                sb.Append('-');
            c = char.ToLowerInvariant(c);
            sb.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }
        var s = Regex.Replace(sb.ToString(), "-+", "-").Trim('-');
        while (s.Length > 0 && !char.IsAsciiLetterLower(s[0])) s = s[1..];
        if (s.Length > MaxServiceNameLength) s = s[..MaxServiceNameLength].TrimEnd('-');
        return s;
    }

    public static string? CheckPort(int? port) =>
        port is null or (>= 1 and <= 65535) ? null : "it must be between 1 and 65535, or 'none' for a service without a route";

    public static string? CheckReplicas(int replicas) =>
        replicas is >= 1 and <= MaxReplicas ? null : $"it must be between 1 and {MaxReplicas}";

    public static string? CheckHealthCheckPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/') return "it must start with '/'";
        if (path.Length > 200) return "it is longer than 200 characters";
        foreach (var c in path)
            if (c <= ' ' || c > '~' || c is '"' or '\\' or '#') return $"it contains the character '{c}'; use a plain URL path";
        return null;
    }

    public static string? CheckEnvironmentVariable(string name, string value)
    {
        if (!EnvName().IsMatch(name) || name.Length > 200) return $"'{name}' is not a valid variable name (letters, digits, '_' and '.', not starting with a digit)";
        if (value.Contains('\0')) return $"the value of '{name}' contains a NUL character";
        if (value.Length > 32 * 1024) return $"the value of '{name}' is longer than 32 KB";
        if (name.StartsWith("FUTUSWARM_", StringComparison.Ordinal)) return $"'{name}': names starting with FUTUSWARM_ are set by the cluster";
        return null;
    }

    public static string? CheckDeployTimeout(int seconds) =>
        seconds is >= MinDeployTimeoutSeconds and <= MaxDeployTimeoutSeconds ? null : $"it must be between {MinDeployTimeoutSeconds} and {MaxDeployTimeoutSeconds} seconds";

    [GeneratedRegex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+@sha256:[a-f0-9]{64}\\z")]
    private static partial Regex DigestReference();

    /// <summary>Images are deployed by digest only, so what runs is exactly what was pushed.</summary>
    public static string? CheckImageReference(string image) =>
        DigestReference().IsMatch(image) ? null : "it must be a reference by digest: registry/repository@sha256:<64 hex>";
}
