using System.Security.Cryptography;
using System.Text;
using Futuswarm.Protocol;

namespace Futuswarm.Tasks.Secrets;

/// <summary>
/// Secret values read on this machine, kept as bytes (not strings) so they can be zeroed once sent.
/// A name without an entry had no source here (variable not set, file absent).
/// </summary>
public sealed class SecretValues : IDisposable
{
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    public bool TryGet(string name, out byte[] value) => _values.TryGetValue(name, out value!);
    public bool Has(string name) => _values.ContainsKey(name);
    internal void Add(string name, byte[] value) => _values[name] = value;

    public void Dispose()
    {
        foreach (var value in _values.Values) CryptographicOperations.ZeroMemory(value);
        _values.Clear();
    }
}

/// <summary>
/// Reads secret values from the environment or from files. Messages name the secret, its source and the
/// value's size, never the value.
/// </summary>
public static class SecretSources
{
    /// <summary>Reads every declared value; all-or-nothing: on an error, what was read is zeroed.</summary>
    public static SecretValues Read(IEnumerable<SecretDeclaration> declared, string projectDirectory)
    {
        var values = new SecretValues();
        try
        {
            foreach (var d in declared)
                if (ReadOne(d, projectDirectory) is { } value) values.Add(d.Name, value);
            return values;
        }
        catch
        {
            values.Dispose();
            throw;
        }
    }

    /// <summary>The value, or null when the source is not on this machine. Empty or oversized: FSW2015.</summary>
    public static byte[]? ReadOne(SecretDeclaration d, string projectDirectory)
    {
        byte[] value;
        if (d.FromEnvironment is { } variable)
        {
            // The string cannot be zeroed; the bytes sent from here on can.
            var text = Environment.GetEnvironmentVariable(variable);
            if (text is null) return null;
            value = Encoding.UTF8.GetBytes(text);
        }
        else
        {
            var path = Path.GetFullPath(Path.Combine(projectDirectory, d.FromFile!));
            if (Directory.Exists(path))
                throw new FswException(ErrorCodes.SecretSourceMissing, $"SwarmSecret '{d.Name}': {path} is a directory. FromFile must name a file.");
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            // Checked before reading, so a huge file is never loaded.
            if (info.Length > Validation.MaxSecretBytes) throw Invalid(d, (int)Math.Min(info.Length, int.MaxValue));
            try { value = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FswException(ErrorCodes.SecretSourceMissing, $"SwarmSecret '{d.Name}': the file {path} cannot be read ({e.Message}).");
            }
        }
        if (value.Length == 0 || value.Length > Validation.MaxSecretBytes)
        {
            CryptographicOperations.ZeroMemory(value);
            throw Invalid(d, value.Length);
        }
        return value;
    }

    private static FswException Invalid(SecretDeclaration d, int length) =>
        new(ErrorCodes.InvalidSecretValue, $"SwarmSecret '{d.Name}' ({d.Source}): {Validation.CheckSecretValue(d.Name, length)}.");
}
