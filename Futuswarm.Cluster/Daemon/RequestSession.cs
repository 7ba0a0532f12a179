using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Futuswarm.Cluster.State;
using Futuswarm.Cluster.Verbs;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Daemon;

/// <summary>One request from the relay: header line, then the client's JSON document; JSON lines back; always audited.</summary>
public sealed class RequestSession(DaemonContext ctx, Stream stream)
{
    public async Task RunAsync()
    {
        var writer = new ResponseWriter(stream);
        var watch = Stopwatch.StartNew();
        string verb = "unknown", user = "unknown", fingerprint = "unknown";
        string? service = null;
        string outcome = "error";
        string? code = null;
        byte[] body = [];
        try
        {
            (var header, body) = await ReadAsync();
            verb = header.Verb;
            fingerprint = Access.SshKeys.Fingerprint(header.Key);
            if (!Wire.Verbs.All.Contains(verb))
                throw new FswException(ErrorCodes.UnknownVerb, $"'{verb}' is not a verb of this manager; it knows {string.Join(", ", Wire.Verbs.All)}.");
            CheckProtocol(body);
            var who = await ctx.Authorizer.IdentifyAsync(header.Key, ctx.Lifetime);
            user = who.User;
            // Each verb: its request type (parsed strictly), the service it names (for the audit), what runs it.
            async Task<ResponseLine> Run<T>(Func<T, string> serviceOf, Func<T, Task<ResponseLine>> run)
            {
                var request = Parse<T>(body);
                service = serviceOf(request);
                return await run(request);
            }
            var result = verb switch
            {
                Wire.Verbs.Deploy => await Run<DeployRequest>(r => r.Service, r => new DeployVerb(ctx).RunAsync(who, r, writer, CancellationToken.None)),
                Wire.Verbs.SecretSet => await Run<SecretSetRequest>(r => r.Service, r => new SecretVerbs(ctx).SetAsync(who, r, writer)),
                Wire.Verbs.SecretRemove => await Run<RemoveRequest>(r => r.Service, r => new SecretVerbs(ctx).RemoveAsync(who, r, writer)),
                Wire.Verbs.SecretList => await Run<ServiceRequest>(r => r.Service, r => new SecretVerbs(ctx).ListAsync(who, r)),
                Wire.Verbs.ConfigSet => await Run<ConfigSetRequest>(r => r.Service, r => new ConfigVerbs(ctx).SetAsync(who, r, writer)),
                Wire.Verbs.ConfigUnset => await Run<RemoveRequest>(r => r.Service, r => new ConfigVerbs(ctx).UnsetAsync(who, r, writer)),
                Wire.Verbs.ConfigList => await Run<ServiceRequest>(r => r.Service, r => new ConfigVerbs(ctx).ListAsync(who, r)),
                Wire.Verbs.DatabaseInfo => await Run<ServiceRequest>(r => r.Service, r => new DatabaseVerbs(ctx).InfoAsync(who, r)),
                Wire.Verbs.DatabaseRotate => await Run<DatabaseRotateRequest>(r => r.Service, r => new DatabaseVerbs(ctx).RotateAsync(who, r, writer)),
                Wire.Verbs.DatabaseDrop => await Run<DatabaseDropRequest>(r => r.Service, r => new DatabaseVerbs(ctx).DropAsync(who, r, writer)),
                Wire.Verbs.DatabaseBackup => await Run<ServiceRequest>(r => r.Service, r => new DatabaseVerbs(ctx).BackupAsync(who, r)),
                Wire.Verbs.Status => await Run<ServiceRequest>(r => r.Service, r => new StatusVerb(ctx).RunAsync(who, r, ctx.Lifetime)),
                _ => throw new FswException(ErrorCodes.UnknownVerb, $"'{verb}' is listed but not served; this is a bug in the manager."),
            };
            outcome = result.Outcome ?? "result";
            await writer.WriteAsync(result);
        }
        catch (FswException e)
        {
            code = e.Code;
            await writer.WriteAsync(ResponseLine.Error(e.Code, e.Message, e.Details));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ctx.Lifetime.IsCancellationRequested)
        {
            code = ErrorCodes.StoreFailed;
            ctx.Log($"request failed: {e}");
            await writer.WriteAsync(ResponseLine.Error(code, $"The manager failed unexpectedly: {e.GetType().Name}: {e.Message}. See the manager's log."));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(body);
            try
            {
                await ctx.Audit.WriteAsync(new AuditEntry
                {
                    At = DateTimeOffset.UtcNow, User = user, KeyFingerprint = fingerprint, Verb = verb, Service = service,
                    Outcome = code is null ? outcome : "error", Code = code, DurationMs = watch.ElapsedMilliseconds,
                }, CancellationToken.None);
            }
            catch (Exception e) { ctx.Log($"audit write failed: {e.Message}"); }
            ctx.Log($"{user} {verb} {service ?? "-"}: {code ?? outcome} in {watch.ElapsedMilliseconds} ms");
        }
    }

    private async Task<(RelayHeader Header, byte[] Body)> ReadAsync()
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int n;
        while ((n = await stream.ReadAsync(chunk, timeout.Token)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > Wire.MaxRequestBytes + 16 * 1024)
                throw new FswException(ErrorCodes.MalformedRequest, $"The request is larger than {Wire.MaxRequestBytes / 1024} KB.");
        }
        var all = buffer.ToArray();
        // The request may hold secret values: the growing buffer is zeroed now, the body after the verb ran.
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        var newline = Array.IndexOf(all, (byte)'\n');
        if (newline < 0) throw new FswException(ErrorCodes.MalformedRequest, "The relay sent no header.");
        var header = JsonSerializer.Deserialize<RelayHeader>(all.AsSpan(0, newline), Wire.Json)
            ?? throw new FswException(ErrorCodes.MalformedRequest, "The relay sent an empty header.");
        return (header, all[(newline + 1)..]);
    }

    /// <summary>Before the strict parse: a client of another protocol gets told both versions, not a schema error.</summary>
    private static void CheckProtocol(byte[] body)
    {
        int? version = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("protocol", out var p) && p.TryGetInt32(out var v))
                version = v;
        }
        catch (JsonException e)
        {
            throw new FswException(ErrorCodes.MalformedRequest, $"The request is not a JSON document: {Where(e)}.");
        }
        if (version is null || !Wire.SupportedProtocols.Contains(version.Value))
            throw new FswException(ErrorCodes.ProtocolMismatch,
                $"The client speaks protocol {version?.ToString() ?? "(none)"}; this manager speaks {string.Join(", ", Wire.SupportedProtocols)}. Use a Futuswarm.Sdk version that matches the cluster, or upgrade the cluster.");
    }

    /// <summary>
    /// Where the JSON went wrong, without the parser's message: that quotes characters of the document, which may be
    /// a secret's value. Unknown members are named by their path.
    /// </summary>
    private static string Where(JsonException e) =>
        $"{(e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "an unknown member" : "an invalid value")} at {e.Path ?? "$"} (byte {e.BytePositionInLine})";

    private static T Parse<T>(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Wire.Json) ?? throw new FswException(ErrorCodes.MalformedRequest, "The request is empty.");
        }
        catch (JsonException e)
        {
            throw new FswException(ErrorCodes.MalformedRequest, $"The request does not fit the {typeof(T).Name} schema: {Where(e)}.");
        }
    }
}
