using System.Text.Json.Nodes;

namespace Futuswarm.Cluster.Edge;

/// <summary>
/// The whole Caddy JSON configuration for a set of routes. Caddy's /load replaces everything, so the
/// admin endpoint (a unix socket only the daemon reaches) is part of every document.
/// Upstreams are the name tasks.&lt;svc&gt;, resolved on every new connection; refused addresses fall through
/// and a request waits up to the try duration for a task rather than failing (TESTBED.md, measured).
/// </summary>
public static class CaddyConfigBuilder
{
    public const string AdminSocketInContainer = "/run/futuswarm-edge/admin.sock";
    public const string NotFoundBody = "No service answers at this address.\n";

    public static JsonObject Build(IEnumerable<Route> routes)
    {
        var list = new JsonArray();
        foreach (var r in routes.OrderBy(r => r.Host, StringComparer.Ordinal))
        {
            list.Add(new JsonObject
            {
                ["match"] = new JsonArray(new JsonObject { ["host"] = new JsonArray(r.Host) }),
                ["handle"] = new JsonArray(new JsonObject
                {
                    ["handler"] = "reverse_proxy",
                    ["upstreams"] = new JsonArray(new JsonObject { ["dial"] = $"tasks.{r.Service}:{r.Port}" }),
                    ["load_balancing"] = new JsonObject { ["try_duration"] = "5s", ["try_interval"] = "100ms" },
                    ["transport"] = new JsonObject { ["protocol"] = "http", ["dial_timeout"] = "2s" },
                }),
                ["terminal"] = true,
            });
        }
        list.Add(new JsonObject
        {
            ["handle"] = new JsonArray(new JsonObject { ["handler"] = "static_response", ["status_code"] = 404, ["body"] = NotFoundBody }),
        });

        return new JsonObject
        {
            ["admin"] = new JsonObject { ["listen"] = "unix/" + AdminSocketInContainer, ["origins"] = new JsonArray("localhost") },
            ["apps"] = new JsonObject
            {
                ["http"] = new JsonObject
                {
                    ["servers"] = new JsonObject
                    {
                        ["edge"] = new JsonObject
                        {
                            ["listen"] = new JsonArray(":80"),
                            ["automatic_https"] = new JsonObject { ["disable"] = true },
                            ["routes"] = list,
                        },
                    },
                },
            },
        };
    }
}
