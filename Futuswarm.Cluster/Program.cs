using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Relay;
using Futuswarm.Protocol;

// One binary, two roles on a manager node (sshd's AuthorizedKeysCommand is a jq one-liner over acl.json):
//   managerd --config <managerd.json>   the daemon
//   relay --socket <path>               sshd's ForceCommand
//   ensure-database-master --config <managerd.json>   once, from a manager's bootstrap: the service master on RDS
//   install-api-host-key --config <managerd.json> --key <file>   a manager's first boot: the cluster's API host key from the store
try
{
    switch (args)
    {
        case ["managerd", "--config", var config]:
            using (var cts = new CancellationTokenSource())
            {
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cts.Cancel();
                await new ManagerDaemon(DaemonConfig.Load(config)).RunAsync(cts.Token);
            }
            return 0;
        case ["relay", "--socket", var socket]:
            return await Relay.RunAsync(socket);
        case ["ensure-database-master", "--config", var config]:
            return await Futuswarm.Cluster.Databases.EnsureDatabaseMasterCommand.RunAsync(DaemonConfig.Load(config), CancellationToken.None);
        case [Futuswarm.Cluster.Nodes.Manager.ApiHostKeyStep.InstallVerb, "--config", var config, "--key", var key]:
            return await Futuswarm.Cluster.Nodes.Manager.InstallApiHostKeyCommand.RunAsync(DaemonConfig.Load(config), key, CancellationToken.None);
        default:
            Console.Error.WriteLine("usage: Futuswarm.Cluster managerd --config <file> | relay --socket <path> | ensure-database-master --config <file> | install-api-host-key --config <file> --key <file>");
            return 2;
    }
}
catch (FswException e)
{
    Console.Error.WriteLine($"error {e.Code}: {e.Message}");
    return 1;
}
