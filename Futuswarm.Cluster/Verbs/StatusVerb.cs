using Docker.DotNet.Models;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>What runs for a service: its current release, image, content key and tasks.</summary>
public sealed class StatusVerb(DaemonContext ctx)
{
    public async Task<ResponseLine> RunAsync(Identity who, ServiceRequest request, CancellationToken ct)
    {
        DeployRequestValidator.CheckServiceName(request.Service);
        await ctx.Authorizer.AuthorizeAsync(who, request.Service, claim: false, ct);
        var done = await ctx.Releases.LatestDoneAsync(request.Service, ct);
        var service = await ctx.Swarm.InspectAsync(request.Service, ct);
        var tasks = service is null ? [] : await ctx.Swarm.TasksAsync(request.Service, ct);
        return new ResponseLine
        {
            Type = Wire.LineTypes.Result,
            Outcome = Wire.Outcomes.Status,
            Service = request.Service,
            Release = done?.Number,
            Image = done?.Image,
            ContentKey = done?.ContentKey,
            SpecHash = done?.SpecHash,
            Url = done?.Spec.Port is null ? null : ctx.Config.UrlOf(request.Service),
            State = service is null ? "absent" : "present",
            RunningTasks = tasks.Count(t => t.DesiredState == TaskState.Running && t.Status.State == TaskState.Running),
            DesiredTasks = (int?)service?.Spec.Mode?.Replicated?.Replicas,
        };
    }
}
