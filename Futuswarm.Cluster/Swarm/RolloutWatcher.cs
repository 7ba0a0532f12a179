using Docker.DotNet.Models;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Swarm;

/// <param name="FailedContainerId">The newest failed task's container, whose health log may say why.</param>
public sealed record RolloutResult(bool Succeeded, string Message, string? FailedTaskError = null, string? FailedContainerId = null);

/// <summary>
/// Waits, within a bound, until a service's tasks run the new template or the engine gave up on it.
/// Tasks are told apart by the template hash label, since an update may keep the image and change only the environment.
/// </summary>
public sealed class RolloutWatcher(SwarmGateway swarm, Func<string, Task> progress)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(400);
    private static readonly TaskState[] FailedStates = [TaskState.Failed, TaskState.Rejected, TaskState.Orphaned];

    /// <summary>First deploy: done when enough new tasks run (healthy: swarm reports running only after the health check passes).</summary>
    public async Task<RolloutResult> WaitForCreateAsync(string name, string templateHash, int replicas, DateTimeOffset deadline, CancellationToken ct)
    {
        string? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var tasks = Ours(await swarm.TasksAsync(name, ct), templateHash);
            var running = tasks.Count(t => t.DesiredState == TaskState.Running && t.Status.State == TaskState.Running);
            var failed = tasks.Where(t => FailedStates.Contains(t.Status.State) || t.Status.State == TaskState.Shutdown && !string.IsNullOrEmpty(t.Status.Err)).ToList();
            if (running >= replicas) return new(true, $"{running}/{replicas} tasks running");
            if (failed.Count >= 2)
                return Failed("the new tasks keep failing", Describe(failed));
            last = await ReportAsync(last, $"{running}/{replicas} tasks running, {Summary(tasks)}");
            await Task.Delay(PollInterval, ct);
        }
        return Failed("timed out", Describe(Ours(await swarm.TasksAsync(name, ct), templateHash).Where(t => t.DesiredState != TaskState.Running || t.Status.State != TaskState.Running).ToList()));
    }

    /// <summary>Update: follows UpdateStatus; when the engine runs no update (a scale or label change), waits for the tasks to match.</summary>
    public async Task<RolloutResult> WaitForUpdateAsync(string name, string templateHash, int replicas, DateTimeOffset startedAt, DateTimeOffset deadline, CancellationToken ct)
    {
        string? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var service = await swarm.InspectAsync(name, ct)
                ?? throw new FswException(ErrorCodes.ConcurrentChange, $"Service {name} was removed while it was being deployed.");
            var status = service.UpdateStatus is { StartedAt: { } s } u && s >= startedAt.UtcDateTime.AddSeconds(-2) ? u : null;
            var tasks = await swarm.TasksAsync(name, ct);
            switch (status?.State)
            {
                case "rollback_completed":
                    return Failed($"the engine rolled the update back: {status.Message}", Describe(FailedOf(tasks, templateHash)));
                case "paused":
                case "rollback_paused":
                    return Failed($"the update stopped ({status.State}): {status.Message}", Describe(FailedOf(tasks, templateHash)));
                case "rollback_started":
                    last = await ReportAsync(last, "the new tasks failed; the engine is rolling back");
                    break;
                case "updating":
                    last = await ReportAsync(last, $"updating: {Summary(Ours(tasks, templateHash))}");
                    break;
                default:
                    // completed, or no update at all (the template did not change): the tasks decide.
                    var desired = tasks.Where(t => t.DesiredState == TaskState.Running).ToList();
                    var ours = Ours(desired, templateHash);
                    if (ours.Count == desired.Count && ours.Count(t => t.Status.State == TaskState.Running) >= replicas)
                        return new(true, $"{replicas}/{replicas} tasks running");
                    last = await ReportAsync(last, $"waiting for tasks: {Summary(Ours(tasks, templateHash))}");
                    break;
            }
            await Task.Delay(PollInterval, ct);
        }
        return Failed("timed out", Describe(FailedOf(await swarm.TasksAsync(name, ct), templateHash)));
    }

    /// <summary>After a rollback was asked for: wait until the previous template serves again.</summary>
    public async Task<bool> WaitForRollbackAsync(string name, DateTimeOffset deadline, CancellationToken ct)
    {
        while (DateTimeOffset.UtcNow < deadline)
        {
            var service = await swarm.InspectAsync(name, ct);
            if (service?.UpdateStatus?.State == "rollback_completed") return true;
            if (service?.UpdateStatus?.State is "rollback_paused" or "paused") return false;
            await Task.Delay(PollInterval, ct);
        }
        return false;
    }

    /// <summary>Only changes are reported, in order, so the client sees each step once.</summary>
    private async Task<string?> ReportAsync(string? last, string message)
    {
        if (message != last) await progress(message);
        return message;
    }

    private static int Telling(TaskResponse t) =>
        !string.IsNullOrEmpty(t.Status.Err) || FailedStates.Contains(t.Status.State) ? 0 : t.Status.State == TaskState.Complete ? 1 : 2;

    private static RolloutResult Failed(string message, (string? Error, string? ContainerId) task) => new(false, message, task.Error, task.ContainerId);

    private static List<TaskResponse> Ours(IEnumerable<TaskResponse> tasks, string templateHash) =>
        tasks.Where(t => t.Spec?.ContainerSpec?.Labels is { } l && l.TryGetValue(Labels.TemplateHash, out var h) && h == templateHash).ToList();

    /// <summary>New tasks that are not running: after a failed rollout each is a failure, whatever its state says
    /// (a task stopped for being unhealthy ends "complete", with no error).</summary>
    private static List<TaskResponse> FailedOf(IEnumerable<TaskResponse> tasks, string templateHash) =>
        Ours(tasks, templateHash).Where(t => t.Status.State != TaskState.Running).ToList();

    private static string Summary(IEnumerable<TaskResponse> tasks)
    {
        var groups = tasks.Where(t => t.DesiredState == TaskState.Running).GroupBy(t => t.Status.State.ToString().ToLowerInvariant()).Select(g => $"{g.Count()} {g.Key}");
        var s = string.Join(", ", groups);
        return s.Length == 0 ? "no tasks yet" : s;
    }

    private static (string? Error, string? ContainerId) Describe(IReadOnlyList<TaskResponse> failed)
    {
        // The task that says most: one that failed or exited (an unhealthy task is stopped and ends "complete")
        // before one the rollback merely shut down; the newest of those.
        var t = failed.OrderBy(Telling).ThenByDescending(x => x.Status.Timestamp).FirstOrDefault();
        if (t is null) return (null, null);
        var err = string.IsNullOrEmpty(t.Status.Err) ? t.Status.Message : $"{t.Status.Err} ({t.Status.Message})";
        return ($"task {t.ID[..Math.Min(12, t.ID.Length)]}: {t.Status.State.ToString().ToLowerInvariant()}: {err}", t.Status.ContainerStatus?.ContainerID);
    }
}
