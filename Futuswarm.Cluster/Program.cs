using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Relay;
using Futuswarm.Protocol;

// One binary, three roles on a manager node:
//   managerd --config <managerd.json>            the daemon
//   relay --socket <path>                         sshd's ForceCommand
//   authorized-keys <acl.json> <api user> %u %t %k  sshd's AuthorizedKeysCommand
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
        case ["authorized-keys", var acl, var apiUser, var user, var type, var blob]:
            return AuthorizedKeys.Run(acl, apiUser, user, type, blob);
        default:
            Console.Error.WriteLine("usage: Futuswarm.Cluster managerd --config <file> | relay --socket <path> | authorized-keys <acl.json> <api user> <user> <type> <key>");
            return 2;
    }
}
catch (FswException e)
{
    Console.Error.WriteLine($"error {e.Code}: {e.Message}");
    return 1;
}
