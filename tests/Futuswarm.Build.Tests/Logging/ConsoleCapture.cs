namespace Futuswarm.Build.Tests.Logging;

/// <summary>Tests that swap Console.Out/Error run one at a time (the console is process-wide).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}

/// <summary>Redirects Console.Out and Console.Error until disposed; the text written is in Out and Error.</summary>
sealed class ConsoleCapture : IDisposable
{
    readonly TextWriter oldOut = Console.Out, oldError = Console.Error;
    readonly StringWriter @out = new(), error = new();

    public ConsoleCapture()
    {
        Console.SetOut(@out);
        Console.SetError(error);
    }

    public string Out => @out.ToString();
    public string Error => error.ToString();
    public string All => Out + Error;

    public void Dispose()
    {
        Console.SetOut(oldOut);
        Console.SetError(oldError);
    }
}
