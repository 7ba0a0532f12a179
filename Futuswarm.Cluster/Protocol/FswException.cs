namespace Futuswarm.Protocol;

/// <summary>An error that carries its FSW code to the client; the message names what to change.</summary>
public class FswException(string code, string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public string Code { get; } = code;
    public IReadOnlyList<string> Details { get; } = details ?? [];
    public override string ToString() => $"{Code}: {Message}";
}
