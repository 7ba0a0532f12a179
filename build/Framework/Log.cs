namespace Futuswarm.Build.Framework;

/// <summary>What targets and steps write to. Every line passes through <see cref="Secrets.Redact"/>.</summary>
public interface ILog
{
    void Info(string message);
    void Warn(string message);
    /// <summary>Shown only with --verbose: commands run, probe results.</summary>
    void Detail(string message);
}

public sealed class ConsoleLog(bool verbose) : ILog
{
    static readonly Lock Gate = new(); // steps may log from parallel tasks; keep lines whole

    public bool Verbose { get; } = verbose;
    public void Info(string message) => Write(Console.Out, message);
    public void Warn(string message) => Write(Console.Error, "warning: " + message);
    public void Detail(string message) { if (Verbose) Write(Console.Out, "  · " + message); }
    public void Header(string message) => Write(Console.Out, message);
    public void Error(string message) => Write(Console.Error, message);

    static void Write(TextWriter w, string message)
    {
        lock (Gate) w.WriteLine(Secrets.Redact(message));
    }
}

/// <summary>Values that must never be printed (secret parameters, generated passwords).</summary>
public static class Secrets
{
    static readonly Lock Gate = new();
    static string[] values = [];

    public static void Register(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 3) return; // too short to redact without mangling text
        lock (Gate) values = values.Append(value).Distinct().OrderByDescending(v => v.Length).ToArray();
    }

    public static string Redact(string text)
    {
        foreach (var v in values) text = text.Replace(v, "***", StringComparison.Ordinal);
        return text;
    }
}
