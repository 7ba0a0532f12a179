using System.Text.RegularExpressions;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks.Secrets;

/// <summary>
/// One SwarmSecret item: a name and where its value comes from on this machine. It holds no value, so it can
/// travel through MSBuild; the value is read by the task that sends it (<see cref="SecretSources"/>).
/// </summary>
public sealed partial record SecretDeclaration(string Name, string? FromEnvironment, string? FromFile)
{
    public const string FromEnvironmentMetadata = "FromEnvironment";
    public const string FromFileMetadata = "FromFile";

    /// <summary>For messages: where the value is read from. Names a variable or a path, never a value.</summary>
    public string Source => FromEnvironment is not null ? $"environment variable {FromEnvironment}" : $"file {FromFile}";

    /// <summary>For messages: why there is no value on this machine.</summary>
    public string SourceMissing => FromEnvironment is not null ? $"environment variable {FromEnvironment} is not set" : $"file {FromFile} does not exist";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex VariableName();

    /// <summary>Checks the items (names, exactly one source each, no duplicates) before anything is read or sent.</summary>
    public static IReadOnlyList<SecretDeclaration> Parse(IEnumerable<ITaskItem> items)
    {
        var declared = new List<SecretDeclaration>();
        foreach (var item in items)
        {
            var d = Create(item.ItemSpec, item.GetMetadata(FromEnvironmentMetadata), item.GetMetadata(FromFileMetadata), "SwarmSecret");
            if (declared.Any(x => x.Name == d.Name))
                throw new FswException(ErrorCodes.InvalidSecretName,
                    $"SwarmSecret '{d.Name}' is declared twice (items may come from Directory.Build.props too). Keep one, or use Update= to change it.");
            declared.Add(d);
        }
        return declared;
    }

    /// <param name="what">how the user gave it, for messages: "SwarmSecret" or the -p: properties</param>
    public static SecretDeclaration Create(string name, string? fromEnvironment, string? fromFile, string what)
    {
        if (Validation.CheckSecretName(name) is { } nameError)
            throw new FswException(ErrorCodes.InvalidSecretName, $"{what} name is not valid: {nameError}. Use '__' to nest configuration keys (Stripe__ApiKey is Stripe:ApiKey).");
        fromEnvironment = string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment.Trim();
        fromFile = string.IsNullOrWhiteSpace(fromFile) ? null : fromFile.Trim();
        if (fromEnvironment is not null && fromFile is not null)
            throw new FswException(ErrorCodes.InvalidSecretName, $"{what} '{name}' has both FromEnvironment and FromFile. Give exactly one source.");
        if (fromEnvironment is null && fromFile is null)
            throw new FswException(ErrorCodes.InvalidSecretName,
                $"{what} '{name}' has no source. Add FromEnvironment=\"VARIABLE\" (the variable's name) or FromFile=\"path\" (relative to the project).");
        if (fromEnvironment is not null && (!VariableName().IsMatch(fromEnvironment) || LooksLikeAnExpandedValue(fromEnvironment)))
            // Not echoed: a `$(STRIPE_KEY)` written by mistake has already become the value itself.
            throw new FswException(ErrorCodes.InvalidSecretName,
                $"{what} '{name}': FromEnvironment must be the name of an environment variable (letters, digits, '_'), e.g. FromEnvironment=\"STRIPE_KEY\", not $(STRIPE_KEY), so the value never enters the build.");
        return new SecretDeclaration(name, fromEnvironment, fromFile);
    }

    /// <summary>A "name" that is not set but equals another variable's value was most likely expanded by MSBuild.</summary>
    private static bool LooksLikeAnExpandedValue(string fromEnvironment) =>
        Environment.GetEnvironmentVariable(fromEnvironment) is null
        && Environment.GetEnvironmentVariables().Values.Cast<object>().Any(v => string.Equals(v as string, fromEnvironment, StringComparison.Ordinal));
}
