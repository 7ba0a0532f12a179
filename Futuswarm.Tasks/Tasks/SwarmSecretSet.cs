using Futuswarm.Protocol;
using Futuswarm.Tasks.Databases;
using Futuswarm.Tasks.Secrets;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// Sets secrets without a deploy: one named on the command line with its source, the named declared ones, or
/// every declared SwarmSecret whose source is on this machine. The value is read here and sent on stdin only.
/// </summary>
public sealed class SwarmSecretSet : ChangeTask
{
    /// <summary>SwarmSecretName: one name with a source below, or declared names ("A;B").</summary>
    public string[] SecretNames { get; set; } = [];
    /// <summary>SwarmSecretFromEnvironment: the variable's name.</summary>
    public string FromEnvironment { get; set; } = "";
    /// <summary>SwarmSecretFromFile: a path relative to the project.</summary>
    public string FromFile { get; set; } = "";
    /// <summary>The SwarmSecret items.</summary>
    public ITaskItem[] Secrets { get; set; } = [];
    public string ProjectDirectory { get; set; } = "";
    /// <summary>SwarmDatabase: with a database, the two secrets the cluster sets from it are refused here already.</summary>
    public string Database { get; set; } = "";

    protected override async Task ExecuteAsync()
    {
        var chosen = Choose(out var explicitlyNamed);
        DatabaseOption.CheckSecretNames(chosen.Select(d => d.Name), DatabaseOption.Normalize(Database), explicitlyNamed ? "SwarmSecretName" : "SwarmSecret");
        using var values = SecretSources.Read(chosen, ProjectDirectory);

        var absent = chosen.Where(d => !values.Has(d.Name)).ToList();
        if ((explicitlyNamed && absent.Count > 0) || absent.Count == chosen.Count)
            throw new FswException(ErrorCodes.SecretSourceMissing,
                $"Nothing was set: this machine has no value for {Plural("secret", absent.Select(d => d.Name).ToList())}. Set the variable or create the file, or name another source with -p:SwarmSecretFromEnvironment=VARIABLE or -p:SwarmSecretFromFile=path.",
                absent.Select(d => $"{d.Name}: {d.SourceMissing}").ToList());
        foreach (var d in absent)
            Log.LogMessage(MessageImportance.High, $"{ServiceName}: secret {d.Name} skipped: {d.SourceMissing} on this machine");

        var present = chosen.Where(d => values.Has(d.Name)).ToList();
        var request = new SecretSetRequest
        {
            Protocol = Wire.ProtocolVersion,
            Service = ServiceName,
            Secrets = present.Select(d => { values.TryGet(d.Name, out var v); return new SecretInput { Name = d.Name, Value = v }; }).ToList(),
            TimeoutSeconds = TimeoutSeconds,
        };
        var result = await SendAsync(Wire.Verbs.SecretSet, request);
        if (result is null) return;
        var names = present.Select(d => d.Name).ToList();
        Report(result, Plural("secret", names) + " set", Plural("secret", names));
    }

    /// <summary>Which secrets to set and where each value comes from; every check here runs before anything is read or sent.</summary>
    private List<SecretDeclaration> Choose(out bool explicitlyNamed)
    {
        var declared = SecretDeclaration.Parse(Secrets);
        var names = Names(SecretNames);
        explicitlyNamed = names.Count > 0;
        if (FromEnvironment.Trim().Length > 0 || FromFile.Trim().Length > 0)
        {
            if (names.Count != 1)
                throw new FswException(ErrorCodes.ParameterMissing,
                    $"SwarmSecretName must name the one secret that {(FromFile.Trim().Length > 0 ? "SwarmSecretFromFile" : "SwarmSecretFromEnvironment")} is for, e.g. -p:SwarmSecretName=Stripe__ApiKey.");
            return [SecretDeclaration.Create(names[0], FromEnvironment, FromFile, "SwarmSecretName")];
        }
        if (names.Count == 0)
        {
            if (declared.Count == 0)
                throw new FswException(ErrorCodes.ParameterMissing,
                    "SwarmSecretName is required: pass -p:SwarmSecretName=NAME with -p:SwarmSecretFromEnvironment=VARIABLE or -p:SwarmSecretFromFile=path, or declare SwarmSecret items in the project to set them all.");
            return declared.ToList();
        }
        return names.Select(name =>
        {
            if (Validation.CheckSecretName(name) is { } error)
                throw new FswException(ErrorCodes.InvalidSecretName, $"SwarmSecretName is not valid: {error}.");
            return declared.FirstOrDefault(d => d.Name == name)
                ?? throw new FswException(ErrorCodes.SecretSourceMissing,
                    $"SwarmSecretName '{name}' has no value source: it is not a SwarmSecret of the project. Pass -p:SwarmSecretFromEnvironment=VARIABLE or -p:SwarmSecretFromFile=path, or declare <SwarmSecret Include=\"{name}\" FromEnvironment=\"VARIABLE\" />.");
        }).ToList();
    }
}
